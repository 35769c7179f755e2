// A project-local PostgreSQL server: initdb into the stack folder, started on
// 127.0.0.1 only. initdb refuses to run as root, so as root the server runs
// as the `postgres` system user (created by Debian's package) owning the folder.
import { createHash } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { capture, commandExists, isRoot, run, sleep } from './run.mjs';

export const pgUser = 'desk';
export const pgPassword = 'desk';

export function findPostgresBin(tool) {
  const debianRoot = '/usr/lib/postgresql';
  if (existsSync(debianRoot)) {
    const versions = readdirSync(debianRoot)
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    for (const version of versions) {
      const candidate = join(debianRoot, version, 'bin', tool);
      if (existsSync(candidate)) return candidate;
    }
  }
  return commandExists(tool) ? tool : null;
}

function systemUser() {
  if (!isRoot()) return null;
  if (capture('id', ['-u', 'postgres']) === null) {
    throw new Error(
      'Running as root needs the `postgres` system user (created by the Debian postgresql package) because initdb refuses root.',
    );
  }
  return 'postgres';
}

/** Runs a PostgreSQL tool as the user that owns the data folder. */
function asOwner(tool, args, options = {}) {
  const user = systemUser();
  const binary = findPostgresBin(tool);
  // cwd '/': the postgres user may not be allowed into the caller's working directory.
  return user ? run('runuser', ['-u', user, '--', binary, ...args], { cwd: '/', ...options }) : run(binary, args, options);
}

function ownerStatus(dataDir) {
  const user = systemUser();
  const binary = findPostgresBin('pg_ctl');
  const args = ['status', '-D', dataDir];
  return user ? capture('runuser', ['-u', user, '--', binary, ...args], { cwd: '/' }) : capture(binary, args);
}

/**
 * Where the server's files live: the stack folder, unless the `postgres` user
 * cannot reach it — a checkout inside a private folder, as `mktemp -d` makes —
 * and then a folder of its own under /var/tmp, named after the stack folder.
 */
function serverHome(stackDir) {
  let user;
  try {
    user = systemUser();
  } catch {
    return stackDir; // not installed yet: `up` installs it before asking again
  }
  if (!user || capture('runuser', ['-u', user, '--', 'test', '-x', stackDir], { cwd: '/' }) !== null) return stackDir;
  const home = join('/var/tmp', `recovery-desk-${createHash('sha1').update(stackDir).digest('hex').slice(0, 12)}`);
  mkdirSync(home, { recursive: true, mode: 0o700 });
  return home;
}

export function postgresService(stackDir, port, { fast }) {
  const home = serverHome(stackDir);
  const dataDir = join(home, 'postgres');
  const logFile = join(home, 'postgres.log');
  const url = (database) => `postgres://${pgUser}:${pgPassword}@127.0.0.1:${port}/${database}`;

  return {
    name: 'postgres',
    url,
    isRunning: () => existsSync(join(dataDir, 'PG_VERSION')) && ownerStatus(dataDir) !== null,
    async start() {
      const owner = systemUser();
      if (!existsSync(join(dataDir, 'PG_VERSION'))) {
        mkdirSync(dataDir, { recursive: true });
        const pwFile = join(home, '.pgpass-init');
        writeFileSync(pwFile, pgPassword + '\n', { mode: 0o600 });
        if (owner) {
          const uid = Number(capture('id', ['-u', owner]));
          const gid = Number(capture('id', ['-g', owner]));
          chownSync(dataDir, uid, gid);
          chownSync(pwFile, uid, gid);
          chownSync(home, uid, gid);
        }
        asOwner(
          'initdb',
          ['-D', dataDir, '-U', pgUser, `--pwfile=${pwFile}`, '-A', 'scram-sha-256', '-E', 'UTF8', '--no-locale', '--no-sync'],
          { stdio: ['ignore', 'ignore', 'inherit'] },
        );
        rmSync(pwFile);
      }
      const settings = [
        `-p ${port}`,
        '-c listen_addresses=127.0.0.1',
        "-c unix_socket_directories=''",
        '-c max_connections=200',
        '-c shared_buffers=256MB',
        // The test stack trades crash-durability of the whole machine for speed;
        // a killed PostgreSQL process still recovers fully from its WAL.
        ...(fast ? ['-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off'] : []),
      ].join(' ');
      asOwner('pg_ctl', ['start', '-D', dataDir, '-l', logFile, '-w', '-t', '60', '-o', settings], {
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      await waitForPostgres(port);
    },
    stop() {
      asOwner('pg_ctl', ['stop', '-D', dataDir, '-m', 'fast', '-w'], { stdio: ['ignore', 'ignore', 'inherit'] });
    },
    describe: () => url('postgres'),
    /** Outside the stack folder when the checkout is private; `stack reset` removes it too. */
    home,
    logFile,
  };
}

async function waitForPostgres(port) {
  const isReady = findPostgresBin('pg_isready');
  for (let attempt = 0; attempt < 100; attempt++) {
    if (capture(isReady, ['-h', '127.0.0.1', '-p', String(port)]) !== null) return;
    await sleep(100);
  }
  throw new Error(`PostgreSQL did not accept connections on 127.0.0.1:${port}`);
}
