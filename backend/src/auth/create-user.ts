import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { AppConfig } from '../config/app-config.js';
import { ConfigError } from '../config/config-error.js';
import { dataSourceOptions } from '../database/data-source-options.js';
import { createUserSchema } from './users.schemas.js';
import { passwordHasher } from './password-hasher.js';
import { User } from './user.entity.js';

/**
 * `node backend/dist/auth/create-user.js --email a@b.c --name "Full Name" --roles admin[,finance]`
 * Creates a user from the command line — how the first admin of a production
 * install comes to exist. The password comes from NEW_USER_PASSWORD, or a
 * random one is generated and printed once.
 */
async function main() {
  const { values } = parseArgs({ options: { email: { type: 'string' }, name: { type: 'string' }, roles: { type: 'string' } } });
  const generated = !process.env.NEW_USER_PASSWORD;
  const password = process.env.NEW_USER_PASSWORD ?? randomBytes(18).toString('base64url');
  const parsed = createUserSchema.safeParse({
    email: values.email,
    fullName: values.name,
    roles: values.roles?.split(',').map((r) => r.trim()),
    password,
  });
  if (!parsed.success) {
    const flag: Record<string, string> = { email: '--email', fullName: '--name', roles: '--roles', password: 'NEW_USER_PASSWORD' };
    for (const issue of parsed.error.issues) console.error(`${flag[String(issue.path[0])] ?? issue.path.join('.')}: ${issue.message}`);
    process.exit(2);
  }
  const input = parsed.data;
  const config = AppConfig.fromEnv(process.env);
  const dataSource = new DataSource(dataSourceOptions(config, 'recovery-desk-create-user'));
  await dataSource.initialize();
  try {
    const passwordHash = await passwordHasher.hash(input.password);
    const user = await dataSource.transaction(async (manager) => {
      if (await manager.existsBy(User, { email: input.email })) throw new Error(`A user with e-mail ${input.email} already exists`);
      const created = await manager.save(
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
      await new AuditService().record(manager, {
        action: 'users.create',
        targetType: 'user',
        targetId: created.id,
        reason: 'created from the command line',
        summary: { email: created.email, roles: created.roles, via: 'cli' },
      });
      return created;
    });
    console.log(`Created ${user.email} (${user.roles.join(', ')}), id ${user.id}`);
    if (generated) console.log(`Password (shown once): ${password}`);
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : (error as Error).message);
  process.exit(1);
});
