import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { createHmac, randomBytes } from 'node:crypto';
import { IsNull, type EntityManager, type Repository } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { Session } from './session.entity.js';
import { User } from './user.entity.js';

/** Refresh `last_seen_at` at most this often, so reads do not each cost a write. */
const touchEveryMs = 60_000;

export interface ResolvedSession {
  session: Session;
  user: User;
}

/**
 * Opaque random tokens, stored only as an HMAC. Every request re-reads the
 * session and its user, so revoking a session, deactivating a user or
 * changing roles takes effect on the very next request.
 */
@Injectable()
export class SessionsService {
  constructor(
    private readonly config: AppConfig,
    @InjectRepository(Session) private readonly sessions: Repository<Session>,
  ) {}

  hashToken(token: string): string {
    return createHmac('sha256', this.config.sessionSecret).update(token).digest('hex');
  }

  async create(manager: EntityManager, userId: string, meta: { ip?: string; userAgent?: string }) {
    const token = `rd_${randomBytes(32).toString('base64url')}`;
    const expiresAt = new Date(Date.now() + this.config.sessionTtlSeconds * 1000);
    const session = await manager.save(
      Session,
      manager.create(Session, {
        userId,
        tokenHash: this.hashToken(token),
        expiresAt,
        lastSeenAt: new Date(),
        ip: meta.ip ?? null,
        userAgent: meta.userAgent?.slice(0, 300) ?? null,
      }),
    );
    return { token, session };
  }

  /** The live session and active user behind a token, or why there is none. */
  async resolve(token: string): Promise<ResolvedSession | 'unknown' | 'expired' | 'revoked' | 'inactive'> {
    const row = await this.sessions.manager
      .createQueryBuilder(Session, 's')
      .innerJoinAndMapOne('s.user', User, 'u', 'u.id = s.user_id')
      .where('s.token_hash = :hash', { hash: this.hashToken(token) })
      .getOne();
    if (!row) return 'unknown';
    const user = (row as Session & { user: User }).user;
    if (row.revokedAt) return 'revoked';
    if (row.expiresAt.getTime() <= Date.now()) return 'expired';
    if (!user.active) return 'inactive';
    if (Date.now() - row.lastSeenAt.getTime() > touchEveryMs) {
      await this.sessions.update({ id: row.id }, { lastSeenAt: new Date() });
    }
    return { session: row, user };
  }

  async revoke(manager: EntityManager, sessionId: string): Promise<void> {
    await manager.update(Session, { id: sessionId, revokedAt: IsNull() }, { revokedAt: new Date() });
  }

  /** Ends every session of a user (password change, deactivation), optionally keeping one. */
  async revokeAllForUser(manager: EntityManager, userId: string, keepSessionId?: string): Promise<number> {
    const query = manager
      .createQueryBuilder()
      .update(Session)
      .set({ revokedAt: () => 'now()' })
      .where('user_id = :userId AND revoked_at IS NULL', { userId });
    if (keepSessionId) query.andWhere('id <> :keep', { keep: keepSessionId });
    const result = await query.execute();
    return result.affected ?? 0;
  }
}
