import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from '../redis-server.js';
import { testEnv } from '../test-env.js';

/**
 * A PostgreSQL server of the fault suite's own — initdb into a temp folder on
 * a free port of 127.0.0.1 — so restarting it never touches the shared test
 * stack that other files run against. As root the server runs as the
 * `postgres` system user (initdb refuses root), as scripts/lib/postgres.mjs does.
 */
export interface PrivatePostgres {
  port: number;
  /** The URL of a database on this server (the suite's role is superuser). */
  url(database: string): string;
  /** Creates `name` and applies every migration with the built backend's migrate command. */
  migratedDatabase(name: string): Promise<string>;
  /** `pg_ctl stop -m fast` (every session is terminated), `downMs` of nothing listening, start again. */
  restart(downMs: number): Promise<void>;
  /** Stops the server and deletes its folder. */
  destroy(): void;
}

const user = 'desk';
const password = 'desk';

function postgresBin(tool: string): string {
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    for (const version of readdirSync(root).sort((a, b) => Number(b) - Number(a))) {
      const candidate = join(root, version, 'bin', tool);
      if (existsSync(candidate)) return candidate;
    }
  }
  return tool;
}

const isRoot = () => process.getuid?.() === 0;

function asOwner(tool: string, args: string[], options: SpawnSyncOptions = {}) {
  const binary = postgresBin(tool);
  const [command, argv] = isRoot() ? ['runuser', ['-u', 'postgres', '--', binary, ...args]] : [binary, args];
  const result = spawnSync(command, argv, { cwd: '/', encoding: 'utf8', timeout: 90_000, ...options });
  if (result.status !== 0) throw new Error(`${tool} ${args.join(' ')} failed (${result.status}): ${result.stderr}${result.stdout}`);
  return result;
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const home = mkdtempSync(join(tmpdir(), 'rd-faults-pg-'));
  const dataDir = join(home, 'data');
  const logFile = join(home, 'postgres.log');
  const pwFile = join(home, 'pwfile');
  writeFileSync(pwFile, `${password}\n`, { mode: 0o600 });
  if (isRoot()) {
    const uid = Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout.trim());
    const gid = Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim());
    chownSync(home, uid, gid);
    chownSync(pwFile, uid, gid);
  }
  asOwner('initdb', ['-D', dataDir, '-U', user, `--pwfile=${pwFile}`, '-A', 'scram-sha-256', '-E', 'UTF8', '--no-locale', '--no-sync']);
  const port = await freePort();
  // The test stack's settings: durability of the machine traded for speed; a server restart still loses nothing committed.
  const settings = [
    `-p ${port}`,
    '-c listen_addresses=127.0.0.1',
    "-c unix_socket_directories=''",
    '-c max_connections=200',
    '-c fsync=off',
    '-c synchronous_commit=off',
    '-c full_page_writes=off',
  ].join(' ');
  const start = () => asOwner('pg_ctl', ['start', '-D', dataDir, '-l', logFile, '-w', '-t', '60', '-o', settings]);
  const stop = (mode: 'fast' | 'immediate') => asOwner('pg_ctl', ['stop', '-D', dataDir, '-m', mode, '-w', '-t', '60']);
  start();
  const url = (database: string) => `postgres://${user}:${password}@127.0.0.1:${port}/${database}`;

  return {
    port,
    url,
    async migratedDatabase(name) {
      const admin = new pg.Client({ connectionString: url('postgres') });
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE "${name}"`);
      } finally {
        await admin.end();
      }
      const migrate = spawnSync(process.execPath, [join(testEnv.repoRoot, 'backend', 'dist', 'database', 'migrate.js')], {
        env: {
          PATH: process.env.PATH ?? '',
          APP_MODE: 'test',
          DATABASE_URL: url(name),
          REDIS_URL: 'redis://127.0.0.1:1',
          LOG_LEVEL: 'warn',
        },
        encoding: 'utf8',
        timeout: 120_000,
      });
      if (migrate.status !== 0) throw new Error(`migrate failed (${migrate.status}): ${migrate.stderr}${migrate.stdout}`);
      return url(name);
    },
    async restart(downMs) {
      stop('fast');
      await new Promise((resolve) => setTimeout(resolve, downMs));
      start();
    },
    destroy() {
      try {
        stop('immediate');
      } catch {
        // Already down (a failed restart): the folder goes anyway.
      }
      rmSync(home, { recursive: true, force: true });
    },
  };
}
