import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { Session } from './session.entity.js';
import type { User } from './user.entity.js';

export interface AuthContext {
  user: User;
  session: Session;
  /** How the caller proved who they are; cookie-borne requests get CSRF checks. */
  via: 'bearer' | 'cookie';
}

export type AuthenticatedRequest = Request & { auth?: AuthContext };

/** The signed-in caller of a `@Permission` route (set by the access guard). */
export const CurrentAuth = createParamDecorator((_data: unknown, context: ExecutionContext): AuthContext => {
  const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
  if (!request.auth) throw new Error('CurrentAuth used on a route without @Permission');
  return request.auth;
});
