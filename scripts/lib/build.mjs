// Builds the backend (SWC, about a second) and the admin UI (Vite) when their
// sources changed since the last build.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './bootstrap.mjs';
import { run, say } from './run.mjs';

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry === 'dist') continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

function stale(sources, output) {
  return !existsSync(output) || sources.some((source) => newestMtime(join(root, source)) > statSync(output).mtimeMs);
}

export function buildBackend({ force = false } = {}) {
  const marker = join(root, 'backend', 'dist', 'main.js');
  if (!force && !stale(['backend/src', 'backend/.swcrc', 'package-lock.json'], marker)) return;
  say('Building the backend…');
  run('npm', ['run', 'build', '--silent', '-w', 'backend'], { cwd: root });
}

/** The provider stand-ins run from their build, so it must exist before the stack starts. */
export function buildStandIns({ force = false } = {}) {
  const marker = join(root, 'stand-ins', 'dist', 'stripe', 'main.js');
  if (!force && !stale(['stand-ins/src', 'stand-ins/.swcrc', 'package-lock.json'], marker)) return;
  say('Building the stand-ins…');
  run('npm', ['run', 'build', '--silent', '-w', 'stand-ins'], { cwd: root });
}

export function buildAdminUi({ force = false } = {}) {
  const marker = join(root, 'admin-ui', 'dist', 'index.html');
  if (!force && !stale(['admin-ui/src', 'admin-ui/index.html', 'admin-ui/vite.config.ts', 'package-lock.json'], marker)) return;
  say('Building the admin UI…');
  run('npm', ['run', 'build', '--silent', '-w', 'admin-ui'], { cwd: root });
}
