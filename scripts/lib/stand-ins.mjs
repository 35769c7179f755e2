// Local stand-ins for internet services (Stripe, the fulfilment provider, an
// SMTP sink). Each speaks its real protocol on 127.0.0.1 and is started only
// when the matching provider variable is not set. Later issues add entries.
//
// Ports are the stack's stand-in base plus a fixed offset per service:
// Stripe +11 (dev 12111, test 12211).
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { root } from './bootstrap.mjs';
import { capture, sleep } from './run.mjs';

/** The only key the local Stripe stand-in accepts; it is not a secret. */
export const stripeStandInKey = 'sk_test_recovery_desk_local';

export function standInServices(stackDir, basePort, env) {
  const services = [];
  // A given STRIPE_API_BASE means a Stripe someone else runs (real test mode, or a shared stand-in).
  if (!env.STRIPE_API_BASE) services.push(stripeStandIn(stackDir, basePort + 11, env));
  return services;
}

function stripeStandIn(stackDir, port, env) {
  const dir = join(stackDir, 'stripe');
  const pidFile = join(dir, 'stripe.pid');
  const dataFile = join(dir, 'stripe.jsonl');
  const logFile = join(stackDir, 'stripe.log');
  const entry = join(root, 'stand-ins', 'dist', 'stripe', 'main.js');
  const base = `http://127.0.0.1:${port}`;

  const recordedPid = () => (existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8')) || null : null);

  return {
    name: 'stripe',
    url: base,
    env: { STRIPE_API_BASE: base, STRIPE_SECRET_KEY: stripeStandInKey },
    // Running means: the pid this stack recorded is alive AND it is what answers on the port.
    isRunning: () => {
      const pid = recordedPid();
      return pid !== null && isAlive(pid) && healthPid(base) === pid;
    },
    async start() {
      if (!existsSync(entry)) {
        throw new Error(`The Stripe stand-in is not built (${entry} is missing): run \`npm run build -w stand-ins\` first`);
      }
      if (healthPid(base) !== null) {
        throw new Error(`${base} already answers as a Stripe stand-in that this stack did not start; stop it or set STRIPE_API_BASE`);
      }
      mkdirSync(dir, { recursive: true });
      const log = openSync(logFile, 'a');
      const child = spawn(process.execPath, [entry], {
        cwd: root,
        detached: true,
        stdio: ['ignore', log, log],
        // Only what the stand-in reads: a developer's PORT or DATA_FILE must not leak in.
        env: {
          PATH: process.env.PATH ?? '',
          PORT: String(port),
          DATA_FILE: dataFile,
          STRIPE_SECRET_KEY: stripeStandInKey,
          // The test stack's suites may wipe it between files; the dev stack's demo data is kept.
          ALLOW_RESET: basename(stackDir) === 'test' ? '1' : '0',
          // The demo runs at Stripe's live-mode limit (100/s) so seeding its payments is quick;
          // the test and bench stacks keep the stand-in's test-mode default (25/s).
          ...optional('RATE_LIMIT_RPS', env.STRIPE_STAND_IN_RATE_LIMIT_RPS ?? (basename(stackDir) === 'dev' ? '100' : undefined)),
          ...optional('LATENCY_MS', env.STRIPE_STAND_IN_LATENCY_MS),
          ...optional('FAULT_SEED', env.STRIPE_STAND_IN_FAULT_SEED),
          ...optional('LOG_LEVEL', env.STRIPE_STAND_IN_LOG_LEVEL),
        },
      });
      closeSync(log);
      let exited = null;
      child.once('exit', (code, signal) => (exited = code ?? signal));
      writeFileSync(pidFile, String(child.pid));
      child.unref();
      for (let attempt = 0; attempt < 100; attempt++) {
        if (exited !== null) break;
        if (healthPid(base) === child.pid) return;
        await sleep(100);
      }
      if (exited === null) stopPid(child.pid);
      rmSync(pidFile, { force: true });
      throw new Error(`The Stripe stand-in did not come up on ${base}${exited !== null ? ` (exited ${exited})` : ''}; see ${logFile}`);
    },
    stop() {
      const pid = recordedPid();
      if (pid !== null && isAlive(pid)) stopPid(pid);
      rmSync(pidFile, { force: true });
    },
    describe: () => base,
    logFile,
  };
}

const optional = (name, value) => (value === undefined || value === '' ? {} : { [name]: value });

function isAlive(pid) {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  return !isZombie(pid);
}

/**
 * When the process that started the stand-in also stops it (`npm test` does),
 * the exited child stays a zombie until Node reaps it — which never happens
 * while stop() waits synchronously — and a zombie still answers kill(pid, 0).
 */
function isZombie(pid) {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ').at(-1).startsWith('Z');
  } catch {
    return capture('ps', ['-o', 'stat=', '-p', String(pid)])?.startsWith('Z') ?? false;
  }
}

/** SIGTERM (the stand-in drains and exits), then SIGKILL after 10 s. Synchronous: stackDown does not await. */
function stopPid(pid) {
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  const deadline = Date.now() + 10_000;
  while (isAlive(pid) && Date.now() < deadline) sleepSync(50);
  if (isAlive(pid)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // exited in between
    }
  }
}

function sleepSync(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * The pid behind the stand-in's health endpoint, or null when nothing (or
 * something else) answers. A child `node` keeps this synchronous, as
 * isRunning() is called synchronously by the stack manager.
 */
function healthPid(base) {
  const script = `fetch(${JSON.stringify(`${base}/__stand-in/health`)}, { signal: AbortSignal.timeout(1000) })
    .then((res) => res.json()).then((body) => console.log(body.service === 'stripe' ? body.pid : ''), () => console.log(''))`;
  const result = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 3000 });
  const pid = Number(result.stdout?.trim());
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}
