import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { testEnv } from './test-env.js';

export interface TestDatabase {
  url: string;
  name: string;
  query<T extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<pg.QueryResult<T>>;
  drop(): Promise<void>;
}

function adminUrl(): string {
  const url = new URL(testEnv.templateDatabaseUrl);
  url.pathname = '/postgres';
  return url.toString();
}

/**
 * A fresh database for one test file, cloned from the migrated template in
 * milliseconds, so files run in parallel without seeing each other's rows.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const template = new URL(testEnv.templateDatabaseUrl);
  const templateName = template.pathname.slice(1);
  const name = `rd_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${templateName}"`);
  } finally {
    await admin.end();
  }
  template.pathname = `/${name}`;
  const url = template.toString();
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  // An idle connection the server drops (the fault suite restarts its own server) is replaced on the next query, not a crash.
  pool.on('error', () => undefined);
  return {
    url,
    name,
    query: (sql, params) => pool.query(sql, params),
    async drop() {
      await pool.end();
      const client = new pg.Client({ connectionString: adminUrl() });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
