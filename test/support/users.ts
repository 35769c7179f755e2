import { randomBytes } from 'node:crypto';
import type { Test } from 'supertest';
import { passwordHasher } from '../../backend/src/auth/password-hasher.js';
import type { Role } from '../../backend/src/auth/roles.js';
import type { TestApp } from './test-app.js';

export interface TestUser {
  id: string;
  email: string;
  password: string;
  roles: Role[];
  token: string;
  /** Adds this user's bearer token to a supertest request. */
  as<T extends Test>(request: T): T;
}

let passwordHashCache: { password: string; hash: string } | undefined;

/** Inserts a user straight into the database (fixtures, not the API under test). */
export async function insertUser(api: TestApp, roles: Role[], options: { email?: string; password?: string; active?: boolean } = {}) {
  const email = options.email ?? `${roles.join('-') || 'nobody'}-${randomBytes(4).toString('hex')}@example.test`;
  const password = options.password ?? 'correct horse battery staple';
  if (passwordHashCache?.password !== password) passwordHashCache = { password, hash: await passwordHasher.hash(password) };
  const { rows } = await api.db.query<{ id: string }>(
    `INSERT INTO app_user (email, full_name, password_hash, roles, active) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    [email, `Test ${roles.join(' ')}`, passwordHashCache.hash, roles, options.active ?? true],
  );
  return { id: rows[0]!.id, email, password, roles };
}

export async function signIn(api: TestApp, email: string, password: string): Promise<string> {
  const res = await api.http.post('/api/auth/login').send({ email, password });
  if (res.status !== 200) throw new Error(`sign-in of ${email} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.token as string;
}

/** A signed-in user with exactly these roles. */
export async function userWithRoles(api: TestApp, roles: Role[], options: { email?: string; password?: string } = {}): Promise<TestUser> {
  const user = await insertUser(api, roles, options);
  const token = await signIn(api, user.email, user.password);
  return { ...user, token, as: (request) => request.set('Authorization', `Bearer ${token}`) };
}

/** Row counts of the tables a rejected request must leave untouched. */
export async function tableCounts(api: TestApp, tables: string[] = ['app_user', 'user_session', 'audit_log']) {
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const { rows } = await api.db.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
    counts[table] = Number(rows[0]!.n);
  }
  return counts;
}
