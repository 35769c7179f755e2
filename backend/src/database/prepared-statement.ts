import { createHash } from 'node:crypto';
import type { PoolClient } from 'pg';
import { QueryFailedError, type DataSource, type EntityManager } from 'typeorm';

/**
 * A statement the remediation engine runs once or more per step — thousands
 * of times per run — sent to PostgreSQL as a named (server-side prepared)
 * statement, so each connection parses and plans it once instead of on every
 * call. For the engine's one-row statements planning cost as much as running
 * them or more (pg_stat_statements, `npm run bench -- remediate`), on a
 * database whose CPU is what a run is waiting for.
 *
 * Only for fixed SQL text with $n parameters; the name is derived from the
 * text, so two statements never share one. TypeORM's query logging does not
 * see these; errors are TypeORM's QueryFailedError as for any other query.
 */
export class PreparedStatement {
  readonly name: string;

  constructor(readonly text: string) {
    this.name = `rd_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
  }

  /**
   * Runs it on the transaction's connection (a transactional EntityManager), or on a pooled one.
   * Returns the rows (untyped, as `query` does), for `UPDATE … RETURNING` too.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async run<T = any>(on: DataSource | EntityManager, values: unknown[]): Promise<T[]> {
    const manager = 'createQueryRunner' in on ? undefined : on;
    const transaction = manager?.queryRunner;
    const runner = transaction ?? (manager?.dataSource ?? (on as DataSource)).createQueryRunner();
    try {
      const client = (await runner.connect()) as PoolClient;
      const result = await client.query({ name: this.name, text: this.text, values });
      return result.rows as T[];
    } catch (error) {
      throw error instanceof QueryFailedError ? error : new QueryFailedError(this.text, values, error as Error);
    } finally {
      if (!transaction) await runner.release();
    }
  }
}
