import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { z } from 'zod';
import { AuditService } from '../audit/audit.service.js';
import type { ListResult } from '../http/list-query.js';
import { passwordHasher } from './password-hasher.js';
import { SessionsService } from './sessions.service.js';
import { publicUser, User, type PublicUser } from './user.entity.js';
import type { createUserSchema, updateUserSchema, userListSchema } from './users.schemas.js';
import { isUuid } from '../http/is-uuid.js';

const sortColumns = {
  email: 'u.email',
  fullName: 'u.full_name',
  active: 'u.active',
  createdAt: 'u.created_at',
  lastLoginAt: 'u.last_login_at',
} as const;

@Injectable()
export class UsersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly sessions: SessionsService,
    private readonly audit: AuditService,
  ) {}

  async list(query: z.infer<typeof userListSchema>): Promise<ListResult<PublicUser>> {
    const builder = this.dataSource.getRepository(User).createQueryBuilder('u');
    if (query.q) builder.andWhere('(u.email ILIKE :q OR u.full_name ILIKE :q)', { q: `%${escapeLike(query.q)}%` });
    if (query.role) builder.andWhere(':role = ANY(u.roles)', { role: query.role });
    if (query.active !== undefined) builder.andWhere('u.active = :active', { active: query.active });
    if (query.id) builder.andWhere('u.id IN (:...ids)', { ids: query.id });
    builder
      .orderBy(sortColumns[query._sort], query._order, 'NULLS LAST')
      .addOrderBy('u.id', 'ASC')
      .skip((query._page - 1) * query._perPage)
      .take(query._perPage);
    const [rows, total] = await builder.getManyAndCount();
    return { data: rows.map(publicUser), total };
  }

  async get(id: string): Promise<PublicUser> {
    return publicUser(await this.find(this.dataSource.manager, id));
  }

  async create(input: z.infer<typeof createUserSchema>): Promise<PublicUser> {
    const passwordHash = await passwordHasher.hash(input.password);
    return this.dataSource.transaction(async (manager) => {
      await this.assertEmailFree(manager, input.email);
      const user = await manager.save(
        User,
        manager.create(User, {
          email: input.email,
          fullName: input.fullName,
          roles: input.roles,
          passwordHash,
          active: true,
          passwordChangedAt: new Date(),
        }),
      );
      await this.audit.record(manager, {
        action: 'users.create',
        targetType: 'user',
        targetId: user.id,
        reason: input.reason,
        summary: { email: user.email, fullName: user.fullName, roles: user.roles },
      });
      return publicUser(await this.find(manager, user.id));
    });
  }

  async update(id: string, input: z.infer<typeof updateUserSchema>): Promise<PublicUser> {
    const passwordHash = input.password ? await passwordHasher.hash(input.password) : undefined;
    return this.dataSource.transaction(async (manager) => {
      // Row lock: two admins editing the last admin at once must not both succeed.
      const before = await this.find(manager, id, true);
      const after = {
        fullName: input.fullName ?? before.fullName,
        roles: input.roles ?? before.roles,
        active: input.active ?? before.active,
      };
      if (before.roles.includes('admin') && before.active && !(after.active && after.roles.includes('admin'))) {
        await this.assertAnotherAdmin(manager, id);
      }
      const changes: Record<string, { from: unknown; to: unknown }> = {};
      for (const key of ['fullName', 'roles', 'active'] as const) {
        if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) changes[key] = { from: before[key], to: after[key] };
      }
      await manager.update(User, { id }, { ...after, ...(passwordHash ? { passwordHash, passwordChangedAt: new Date() } : {}) });
      // A new password or a deactivation ends the user's sessions at once.
      const sessionsEnded = passwordHash || !after.active ? await this.sessions.revokeAllForUser(manager, id) : 0;
      await this.audit.record(manager, {
        action: 'users.edit',
        targetType: 'user',
        targetId: id,
        reason: input.reason,
        summary: { changes, passwordReset: Boolean(passwordHash), sessionsEnded },
      });
      return publicUser(await this.find(manager, id));
    });
  }

  private async find(manager: EntityManager, id: string, lock = false): Promise<User> {
    if (!isUuid(id)) throw new NotFoundException(`No user with id "${id}"`);
    const query = manager.getRepository(User).createQueryBuilder('u').where('u.id = :id', { id });
    if (lock) query.setLock('pessimistic_write');
    const user = await query.getOne();
    if (!user) throw new NotFoundException(`No user with id "${id}"`);
    return user;
  }

  private async assertEmailFree(manager: EntityManager, email: string) {
    if (await manager.existsBy(User, { email })) {
      throw new ConflictException({
        message: `A user with e-mail ${email} already exists`,
        fields: [{ field: 'email', message: 'is already taken' }],
      });
    }
  }

  private async assertAnotherAdmin(manager: EntityManager, exceptId: string) {
    // Locks the other admins' rows: a concurrent demotion of "the other one" must wait for us.
    const others = await manager
      .getRepository(User)
      .createQueryBuilder('u')
      .select('u.id')
      .where(`'admin' = ANY(u.roles) AND u.active AND u.id <> :id`, { id: exceptId })
      .setLock('pessimistic_write')
      .getMany();
    if (others.length === 0) throw new ConflictException('This is the last active admin: make someone else an admin first');
  }
}

function escapeLike(value: string) {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}
