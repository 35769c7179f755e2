import {
  BadRequestException,
  ForbiddenException,
  Injectable,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { wouldRefuseBodyType } from '../http/json-bodies-only.js';
import { requestContext } from '../observability/request-context.js';
import { ACCESS, type AccessRule } from './access.decorators.js';
import type { AuthenticatedRequest } from './auth-context.js';
import { MachineCredentials } from './machine-credentials.js';
import { mayPerform, permissionMatrix, type Permission } from './permission-matrix.js';
import { readSessionToken } from './session-cookie.js';
import { SessionsService } from './sessions.service.js';

const unsafeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const sessionProblems = {
  unknown: 'Invalid session token; sign in again',
  expired: 'Your session has expired; sign in again',
  revoked: 'Your session was ended; sign in again',
  inactive: 'This account is deactivated',
} as const;

/**
 * The one gate every route passes. Deny by default: a route without an
 * access declaration is refused. Runs before validation, so a caller who may
 * not act learns nothing about the body they sent.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly sessions: SessionsService,
    private readonly machines: MachineCredentials,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS, [context.getHandler(), context.getClass()]);
    if (!rule) throw new ForbiddenException(`${req.method} ${req.route?.path ?? req.path} has no entry in the permission matrix`);
    if (rule.kind === 'public') return true;
    if (rule.kind === 'machine') return this.machines.verify(rule.credential, req);

    const credential = readSessionToken(req);
    if (!credential) throw new UnauthorizedException('Sign in first: this needs a session (cookie or Bearer token)');
    const resolved = await this.sessions.resolve(credential.token);
    if (typeof resolved === 'string') throw new UnauthorizedException(sessionProblems[resolved]);
    const { user, session } = resolved;

    if (credential.via === 'cookie' && unsafeMethods.has(req.method)) assertSameOrigin(req);

    const permission: Permission = permissionMatrix[rule.action];
    if (!mayPerform(user.roles, rule.action)) {
      throw new ForbiddenException(
        `Your roles (${user.roles.join(', ')}) do not allow "${rule.action}"; it needs one of: ${permission.roles.join(', ')}`,
      );
    }
    // A non-JSON body is refused with 415 by JsonBodiesOnly; "reason required" would name the wrong problem.
    if (permission.reason === 'required' && !wouldRefuseBodyType(this.reflector, context)) assertReason(req.body, rule.action);

    req.auth = { user, session, via: credential.via };
    const ctx = requestContext.current();
    if (ctx) ctx.actor = { id: user.id, email: user.email, roles: user.roles };
    return true;
  }
}

/** Cookie-authenticated writes must come from our own pages (defence in depth beside SameSite=Strict). */
function assertSameOrigin(req: AuthenticatedRequest) {
  const origin = req.header('origin');
  if (!origin) return;
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    throw new ForbiddenException('Malformed Origin header');
  }
  if (host !== req.header('host')) throw new ForbiddenException(`Cross-origin request from ${origin} refused`);
}

function assertReason(body: unknown, action: string) {
  const reason = (body as { reason?: unknown } | undefined)?.reason;
  if (typeof reason !== 'string' || reason.trim().length < 3) {
    throw new BadRequestException({
      message: `A reason is required for ${action}`,
      fields: [{ field: 'reason', message: 'is required (at least 3 characters): it goes into the audit log' }],
    });
  }
}
