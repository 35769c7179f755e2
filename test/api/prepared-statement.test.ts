import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataSource, QueryFailedError } from 'typeorm';
import { PreparedStatement } from '../../backend/src/database/prepared-statement.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('PreparedStatement (the engine’s hot statements)', () => {
  let api: TestApp;
  let dataSource: DataSource;
  const transactionId = new PreparedStatement(`SELECT txid_current()::text AS id, $1::int + 1 AS next`);
  const byUuid = new PreparedStatement(`SELECT $1::uuid AS id`);

  beforeAll(async () => {
    api = await startTestApp();
    dataSource = api.app.get(DataSource);
  });
  afterAll(async () => {
    await api?.close();
  });

  it('runs inside the caller’s transaction, prepared once on that connection', async () => {
    await dataSource.transaction(async (manager) => {
      const [{ id: outer }] = await manager.query(`SELECT txid_current()::text AS id`);
      const first = await transactionId.run(manager, [1]);
      const second = await transactionId.run(manager, [41]);
      expect(first).toEqual([{ id: outer, next: 2 }]);
      expect(second).toEqual([{ id: outer, next: 42 }]);
      const [{ n }] = await manager.query(`SELECT count(*)::int AS n FROM pg_prepared_statements WHERE name = $1`, [transactionId.name]);
      expect(n).toBe(1);
    });
  });

  it('gives each of many concurrent calls outside a transaction a pooled connection back', async () => {
    // Ten times the pool: a connection not released would leave calls waiting for ever.
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => transactionId.run(dataSource, [i])));
    expect(results.map(([row]) => row.next)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
  });

  it('fails as TypeORM queries do, naming the problem, and releases the connection', async () => {
    for (let i = 0; i < 20; i++) {
      const failure = await byUuid.run(dataSource, ['not-a-uuid']).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(QueryFailedError);
      expect((failure as Error).message).toMatch(/invalid input syntax for type uuid: "not-a-uuid"/);
    }
    const id = '3f1c2a9e-8d4b-4c7a-9e2f-1b6d5a4c3e21';
    expect(await byUuid.run(dataSource, [id])).toEqual([{ id }]);
  });

  it('names statements by their text, so two texts never share a name', () => {
    expect(new PreparedStatement(`SELECT 1`).name).toBe(new PreparedStatement(`SELECT 1`).name);
    expect(new PreparedStatement(`SELECT 1`).name).not.toBe(new PreparedStatement(`SELECT 2`).name);
  });
});
