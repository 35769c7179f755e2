import { BadRequestException, Injectable, UnauthorizedException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { AppConfig } from '../config/app-config.js';
import { LoginThrottle } from './login-throttle.js';
import { passwordHasher } from './password-hasher.js';
import type { Session } from './session.entity.js';
import { SessionsService } from './sessions.service.js';
import { publicUser, User } from './user.entity.js';

/** Demo accounts (seeded only in demo mode) can never sign in anywhere else. */
const demoDomain = '@demo.local';
/** One message for every credential problem: it must not reveal which part was wrong. */
const badCredentials = 'Invalid email or password';

@Injectable()
export class AuthService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly sessions: SessionsService,
    private readonly throttle: LoginThrottle,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {}

  async login(email: string, password: string, meta: { ip: string; userAgent?: string }) {
    await this.throttle.admit(email, meta.ip);
    const user = await this.dataSource
      .getRepository(User)
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('u.email = :email', { email })
      .getOne();
    const usable = user && user.active && (this.config.mode === 'demo' || !user.email.endsWith(demoDomain));
    const valid = usable ? await passwordHasher.verify(user.passwordHash, password) : await passwordHasher.dummyVerify(password);
    if (!usable || !valid) {
      await this.throttle.recordFailure(email);
      throw new UnauthorizedException(badCredentials);
    }
    await this.throttle.recordSuccess(email);

    const { token, session } = await this.dataSource.transaction(async (manager) => {
      const created = await this.sessions.create(manager, user.id, meta);
      await manager.update(User, { id: user.id }, { lastLoginAt: new Date() });
      const actor = { id: user.id, email: user.email, roles: user.roles };
      await this.audit.record(
        manager,
        { action: 'auth.login', targetType: 'session', targetId: created.session.id, summary: { userAgent: meta.userAgent ?? null } },
        actor,
      );
      return created;
    });
    return { token, expiresAt: session.expiresAt, user: publicUser(user) };
  }

  async logout(session: Session) {
    await this.dataSource.transaction(async (manager) => {
      await this.sessions.revoke(manager, session.id);
      await this.audit.record(manager, { action: 'auth.logout', targetType: 'session', targetId: session.id });
    });
  }

  /** Changes the caller's password and ends their other sessions (a thief's among them). */
  async changePassword(user: User, session: Session, currentPassword: string, newPassword: string) {
    const stored = await this.dataSource
      .getRepository(User)
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('u.id = :id', { id: user.id })
      .getOneOrFail();
    if (!(await passwordHasher.verify(stored.passwordHash, currentPassword))) {
      throw new BadRequestException({
        message: 'The current password is not correct',
        fields: [{ field: 'currentPassword', message: 'is not correct' }],
      });
    }
    if (currentPassword === newPassword) {
      throw new BadRequestException({
        message: 'The new password must differ from the current one',
        fields: [{ field: 'newPassword', message: 'must differ from the current password' }],
      });
    }
    const hash = await passwordHasher.hash(newPassword);
    await this.dataSource.transaction(async (manager) => {
      await manager.update(User, { id: user.id }, { passwordHash: hash, passwordChangedAt: new Date() });
      const ended = await this.sessions.revokeAllForUser(manager, user.id, session.id);
      await this.audit.record(manager, {
        action: 'auth.change-password',
        targetType: 'user',
        targetId: user.id,
        summary: { otherSessionsEnded: ended },
      });
    });
  }
}
