import type { TestDatabase } from '../test-database.js';

/** Columns that change without anyone writing data: the session touch of a read. */
const volatileColumns: Record<string, string[]> = { user_session: ['last_seen_at'] };
const skippedTables = new Set(['schema_migrations']);

/**
 * A checksum of every row of every table, to prove a rejected request wrote
 * nothing. Hashing the whole database costs a few milliseconds, so it is
 * computed only when PostgreSQL's transaction counter moved: a request that
 * wrote nothing (no transaction id assigned) cannot have changed any row.
 * A rolled-back write moves the counter too; then the checksum decides.
 */
export class DatabaseFingerprint {
  private query = '';
  private known: { xmax: string; sum: string } | undefined;
  /** How often the full checksum was needed (reported with the figures). */
  checksums = 0;

  constructor(private readonly db: TestDatabase) {}

  async prepare() {
    const { rows } = await this.db.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
    );
    const parts = rows
      .map((row) => row.table_name)
      .filter((table) => !skippedTables.has(table))
      .map((table) => {
        const minus = (volatileColumns[table] ?? []).map((column) => ` - '${column}'`).join('');
        return `SELECT '${table}' AS t, count(*) AS n, coalesce(md5(string_agg(r, '' ORDER BY r)), '') AS h
                FROM (SELECT md5((to_jsonb(x)${minus})::text) AS r FROM "${table}" x) s`;
      });
    this.query = `SELECT md5(string_agg(t || ':' || n || ':' || h, ',' ORDER BY t)) AS sum FROM (${parts.join(' UNION ALL ')}) all_tables`;
  }

  /** Row counts and hashes of all tables as one value. */
  async checksum(): Promise<string> {
    this.checksums++;
    const { rows } = await this.db.query<{ sum: string }>(this.query);
    return rows[0]!.sum;
  }

  private async xmax(): Promise<string> {
    const { rows } = await this.db.query<{ xmax: string }>(`SELECT pg_snapshot_xmax(pg_current_snapshot())::text AS xmax`);
    return rows[0]!.xmax;
  }

  /** The database's state now; cheap when nothing was written since the last call. */
  async current(): Promise<string> {
    const xmax = await this.xmax();
    if (this.known?.xmax !== xmax) this.known = { xmax, sum: await this.checksum() };
    return this.known.sum;
  }
}
