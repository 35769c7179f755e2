// `npm run demo`: from a fresh clone to the running product. Installs what is
// missing, starts the dev stack, migrates, seeds demo data, builds, starts the
// API and one worker, and prints where to go. Ctrl-C stops what it started.
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ensureNodeModules, ensureSystemPackages, nodeVersionOk, root } from './lib/bootstrap.mjs';
import { buildAdminUi, buildBackend, buildStandIns } from './lib/build.mjs';
import { ensureDatabase } from './lib/database.mjs';
import { run, say, sleep, warn } from './lib/run.mjs';
import { stackDown, stackUp } from './lib/stack.mjs';

if (!nodeVersionOk()) {
  console.error(`Node ${process.versions.node} is too old: Recovery Desk needs Node 20.19 or newer.`);
  process.exit(1);
}

const port = process.env.PORT ?? '3000';
const children = [];
let started = [];
let stopping = false;

async function main() {
  ensureNodeModules();
  ensureSystemPackages([...(process.env.DATABASE_URL ? [] : ['postgresql']), ...(process.env.REDIS_URL ? [] : ['redis'])]);
  buildStandIns();
  const stack = await stackUp('dev');
  started = stack.started;
  const env = { ...process.env, ...stack.env, APP_MODE: process.env.APP_MODE ?? 'demo', PORT: port };
  await ensureDatabase(env.DATABASE_URL);

  buildBackend();
  buildAdminUi();
  say('Migrating…');
  run(process.execPath, [join(root, 'backend/dist/database/migrate.js')], { cwd: root, env });
  say('Seeding demo data…');
  run(process.execPath, [join(root, 'backend/dist/seed/seed-demo.js')], { cwd: root, env });

  const logs = join(stack.dir, 'logs');
  mkdirSync(logs, { recursive: true });
  startChild('api', 'backend/dist/main.js', env, logs);
  startChild('worker', 'backend/dist/worker.js', env, logs);
  const url = `http://127.0.0.1:${port}`;
  await waitForHealth(url);

  console.log(`
  \x1b[1mRecovery Desk is running\x1b[0m

    Admin UI      ${url}
    API docs      ${url}/api/docs
    Health        ${url}/api/health
    Metrics       ${url}/metrics${env.STRIPE_API_BASE?.startsWith('http://127.0.0.1') ? `\n    Stripe        ${env.STRIPE_API_BASE} (local stand-in; stats at /__stand-in/stats)` : ''}${env.SMTP_SINK_URL ? `\n    Mail sink     ${env.SMTP_SINK_URL}/messages (customer notices sent by remediation runs)` : ''}
    Logs          ${logs}/api.log, worker.log (JSON lines)
${demoLogins(env.APP_MODE)}
  Press Ctrl-C to stop everything this command started.
`);
}

function demoLogins(mode) {
  if (mode !== 'demo') return '';
  const users = ['agent', 'finance', 'commander', 'admin'];
  return `\n    Demo logins (password: demo-password)\n${users.map((u) => `      ${u}@demo.local`).join('\n')}\n`;
}

function startChild(name, script, env, logs) {
  const log = createWriteStream(join(logs, `${name}.log`), { flags: 'a' });
  const child = spawn(process.execPath, [join(root, script)], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(log);
  child.stderr.on('data', (chunk) => {
    log.write(chunk);
    process.stderr.write(`[${name}] ${chunk}`);
  });
  // Surface warnings and errors from the JSON log on the terminal; the rest stays in the file.
  child.stdout.on('data', (chunk) => {
    for (const line of chunk.toString().split('\n')) {
      if (/"level":"(warn|error|fatal)"/.test(line)) process.stderr.write(`[${name}] ${line}\n`);
    }
  });
  child.on('exit', (code, signal) => {
    if (!stopping) {
      warn(`${name} exited (${code ?? signal}); see ${join(logs, `${name}.log`)}`);
      void shutdown(1);
    }
  });
  children.push(child);
}

async function waitForHealth(url) {
  for (let attempt = 0; attempt < 120; attempt++) {
    try {
      const res = await fetch(`${url}/api/health`);
      const body = await res.json();
      if (body.status === 'ok') return;
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  throw new Error(`${url}/api/health did not report ok within 30 s`);
}

async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  say('Stopping…');
  await Promise.all(
    children.map(
      (child) =>
        new Promise((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', resolve);
          child.kill('SIGTERM');
        }),
    ),
  );
  stackDown('dev', started);
  process.exit(code);
}

process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

main().catch(async (error) => {
  warn(error.message ?? String(error));
  await shutdown(1);
});
