// Gets a fresh clone to a runnable state: npm packages, then the system
// packages (PostgreSQL, Redis, Chromium) — installed with apt-get when this
// runs as root on Debian, otherwise named exactly so the user can install them.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { capture, commandExists, isRoot, run, say, warn } from './run.mjs';
import { findPostgresBin } from './postgres.mjs';

export const root = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');

/** npm ci when node_modules is missing or older than package-lock.json. */
export function ensureNodeModules() {
  const lock = join(root, 'package-lock.json');
  const marker = join(root, 'node_modules', '.recovery-desk-lock-hash');
  const hash = createHash('sha256').update(readFileSync(lock)).digest('hex');
  if (existsSync(marker) && readFileSync(marker, 'utf8') === hash) return;
  say('Installing npm packages (npm ci)…');
  run('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: root });
  writeFileSync(marker, hash);
}

const systemPackages = {
  postgresql: {
    present: () => findPostgresBin('initdb') !== null,
    debian: 'postgresql',
    other: 'PostgreSQL 14+ server (initdb, pg_ctl): brew install postgresql@16 / dnf install postgresql-server',
  },
  redis: {
    present: () => commandExists('redis-server') && commandExists('redis-cli'),
    debian: 'redis-server',
    other: 'Redis 6.2+ (redis-server, redis-cli): brew install redis / dnf install redis',
  },
  chromium: {
    present: () => existsSync('/usr/bin/chromium'),
    debian: 'chromium',
    other: 'Chromium at /usr/bin/chromium (or set CHROMIUM_PATH)',
  },
};

let aptUpdated = false;

/** Installs the named system packages that are missing, or explains how to. */
export function ensureSystemPackages(names) {
  const missing = names.filter((name) => {
    if (name === 'chromium' && process.env.CHROMIUM_PATH && existsSync(process.env.CHROMIUM_PATH)) return false;
    return !systemPackages[name].present();
  });
  if (missing.length === 0) return;
  const debianNames = missing.map((name) => systemPackages[name].debian);
  if (isRoot() && commandExists('apt-get')) {
    say(`Installing system packages: ${debianNames.join(' ')} (apt-get)…`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    if (!aptUpdated) run('apt-get', ['update', '-qq'], { env });
    aptUpdated = true;
    run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...debianNames], { env });
    return;
  }
  warn('Missing system software:');
  for (const name of missing) warn(`  - ${systemPackages[name].other}`);
  if (commandExists('apt-get')) warn(`On Debian/Ubuntu: sudo apt-get install ${debianNames.join(' ')}`);
  warn('Or run the whole stack with `docker compose up` (see README).');
  warn('Or point DATABASE_URL / REDIS_URL at servers you already run.');
  process.exit(1);
}

export function nodeVersionOk() {
  const [major, minor] = process.versions.node.split('.').map(Number);
  return major > 20 || (major === 20 && minor >= 19);
}

export function gitRevision() {
  return capture('git', ['rev-parse', '--short', 'HEAD'], { cwd: root }) ?? 'unknown';
}
