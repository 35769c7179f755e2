import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { AppConfig } from '../config/app-config.js';
import { ConfigError } from '../config/config-error.js';
import { dataSourceOptions } from '../database/data-source-options.js';
import { createUserSchema } from './users.schemas.js';
import { Session } from './session.entity.js';
import { SessionsService } from './sessions.service.js';
import { UsersService } from './users.service.js';

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
    // The same service as the API, so the CLI cannot drift from its rules (unique e-mail, audit row).
    const users = new UsersService(dataSource, new SessionsService(config, dataSource.getRepository(Session)), new AuditService());
    const user = await users.create({ ...input, reason: 'created from the command line' });
    console.log(`Created ${user.email} (${user.roles.join(', ')}), id ${user.id}`);
    if (generated) console.log(`Password (shown once): ${password}`);
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: unknown) => {
  const response = (error as { getResponse?: () => { message?: string } }).getResponse?.();
  console.error(error instanceof ConfigError ? error.message : (response?.message ?? (error as Error).message));
  process.exit(1);
});
