import { Body, Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { z } from 'zod';
import { AppConfig } from '../config/app-config.js';
import { openApiSchema, ZodPipe } from '../http/validation.js';
import { Permission, Public } from './access.decorators.js';
import { CurrentAuth, type AuthContext } from './auth-context.js';
import { changePasswordSchema, loginSchema } from './auth.schemas.js';
import { AuthService } from './auth.service.js';
import { allowedActions, permissionMatrix } from './permission-matrix.js';
import { clearSessionCookie, setSessionCookie } from './session-cookie.js';
import { publicUser } from './user.entity.js';

@ApiTags('auth')
@Controller('api/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly config: AppConfig,
  ) {}

  /** Returns a bearer token for API clients and sets an httpOnly cookie for the UI. */
  @Post('login')
  @HttpCode(200)
  @Public('signing in is how a session starts')
  @ApiBody({ schema: openApiSchema(loginSchema) })
  async login(
    @Body(new ZodPipe(loginSchema)) body: z.infer<typeof loginSchema>,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    const result = await this.auth.login(body.email, body.password, { ip: req.ip ?? 'unknown', userAgent: req.header('user-agent') });
    setSessionCookie(req, res, result.token, this.config.sessionTtlSeconds);
    return result;
  }

  @Post('logout')
  @HttpCode(204)
  @Permission('auth.logout')
  async logout(@CurrentAuth() auth: AuthContext, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    await this.auth.logout(auth.session);
    clearSessionCookie(req, res);
  }

  /** Who the caller is and every action the permission matrix allows them (the UI's canAccess). */
  @Get('me')
  @Permission('auth.me')
  me(@CurrentAuth() auth: AuthContext) {
    return { user: publicUser(auth.user), allowedActions: allowedActions(auth.user.roles), sessionExpiresAt: auth.session.expiresAt };
  }

  @Post('password')
  @HttpCode(204)
  @Permission('auth.change-password')
  @ApiBody({ schema: openApiSchema(changePasswordSchema) })
  async changePassword(
    @CurrentAuth() auth: AuthContext,
    @Body(new ZodPipe(changePasswordSchema)) body: z.infer<typeof changePasswordSchema>,
  ) {
    await this.auth.changePassword(auth.user, auth.session, body.currentPassword, body.newPassword);
  }

  @Get('permissions')
  @Permission('auth.matrix')
  permissions() {
    return Object.entries(permissionMatrix).map(([action, permission]) => ({ action, ...permission }));
  }
}
