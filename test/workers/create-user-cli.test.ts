import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { testEnv } from '../support/test-env.js';

describe('create-user command (first admin of a production install)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db?.drop());

  const run = (args: string[], env: Record<string, string> = {}) =>
    spawnSync(process.execPath, [join(testEnv.repoRoot, 'backend/dist/auth/create-user.js'), ...args], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, APP_MODE: 'test', DATABASE_URL: db.url, REDIS_URL: testEnv.redisUrl, ...env },
    });

  it('creates the user, prints a generated password once, and audits it', async () => {
    const result = run(['--email', 'Root@Example.test', '--name', 'Root Admin', '--roles', 'admin']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/Created root@example.test \(admin\)/);
    expect(result.stdout).toMatch(/Password \(shown once\): [\w-]{24}/);
    const { rows } = await db.query(`SELECT action, actor_id, reason FROM audit_log`);
    expect(rows).toEqual([{ action: 'users.create', actor_id: null, reason: 'created from the command line' }]);
  });

  it('names each bad argument and creates nothing', async () => {
    const result = run(['--email', 'nope', '--roles', 'emperor'], { NEW_USER_PASSWORD: 'short' });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/--email: must be an e-mail address/);
    expect(result.stderr).toMatch(/--name: is required/);
    expect(result.stderr).toMatch(/--roles: must be one of/);
    expect(result.stderr).toMatch(/NEW_USER_PASSWORD: must be at least 12 characters/);
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM app_user`);
    expect(rows[0].n).toBe(1);
  });

  it('refuses a duplicate e-mail', () => {
    const result = run(['--email', 'root@example.test', '--name', 'Again', '--roles', 'finance']);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/already exists/);
  });
});
