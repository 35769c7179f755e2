// Local stand-ins for internet services (Stripe, the fulfilment provider, an
// SMTP sink). Each speaks its real protocol on 127.0.0.1 and is started only
// when the matching provider variable is not set.
//
// Ports are the stack's stand-in base plus a fixed offset per service:
// Stripe +11 (dev 12111, test 12211), fulfilment +12 (dev 12112),
// SMTP sink +25 for SMTP and +26 for its HTTP API (dev 12125 and 12126).
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { basename, join } from 'node:path';
import { root } from './bootstrap.mjs';
import { capture, sleep } from './run.mjs';

/** The only key the local Stripe stand-in accepts; it is not a secret. */
export const stripeStandInKey = 'sk_test_recovery_desk_local';

/** The only key the local fulfilment stand-in accepts; it is not a secret either. */
export const fulfilmentStandInKey = 'fk_local_recovery_desk';

export function standInServices(stackDir, basePort, env) {
  const services = [];
  // A given STRIPE_API_BASE means a Stripe someone else runs (real test mode, or a shared stand-in).
  if (!env.STRIPE_API_BASE) services.push(stripeStandIn(stackDir, basePort + 11, env));
  // Likewise a given FULFILMENT_API_BASE is a real provider (or someone else's stand-in).
  if (!env.FULFILMENT_API_BASE) services.push(fulfilmentStandIn(stackDir, basePort + 12, env));
  // A given SMTP_URL is a real relay: then there is no sink to read mail back from.
  if (!env.SMTP_URL) services.push(smtpSink(stackDir, basePort + 25, basePort + 26, env));
  return services;
}

function stripeStandIn(stackDir, port, env) {
  const base = `http://127.0.0.1:${port}`;
  return standInProcess({
    name: 'stripe',
    label: 'The Stripe stand-in',
    noun: 'a Stripe stand-in',
    stackDir,
    ports: [port],
    health: { url: `${base}/__stand-in/health`, service: 'stripe' },
    url: base,
    env: { STRIPE_API_BASE: base, STRIPE_SECRET_KEY: stripeStandInKey },
    occupiedHint: 'set STRIPE_API_BASE',
    processEnv: (dataFile) => ({
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
    }),
  });
}

function fulfilmentStandIn(stackDir, port, env) {
  const base = `http://127.0.0.1:${port}`;
  return standInProcess({
    name: 'fulfilment',
    label: 'The fulfilment stand-in',
    noun: 'a fulfilment stand-in',
    stackDir,
    ports: [port],
    health: { url: `${base}/__stand-in/health`, service: 'fulfilment' },
    url: base,
    env: { FULFILMENT_API_BASE: base, FULFILMENT_API_KEY: fulfilmentStandInKey },
    occupiedHint: 'set FULFILMENT_API_BASE',
    processEnv: (dataFile) => ({
      PORT: String(port),
      DATA_FILE: dataFile,
      FULFILMENT_API_KEY: fulfilmentStandInKey,
      ALLOW_RESET: basename(stackDir) === 'test' ? '1' : '0',
      // The demo registers its shipments in one go; the test and bench stacks keep the 3PL-like default (50/s).
      ...optional('RATE_LIMIT_RPS', env.FULFILMENT_STAND_IN_RATE_LIMIT_RPS ?? (basename(stackDir) === 'dev' ? '200' : undefined)),
      ...optional('LATENCY_MS', env.FULFILMENT_STAND_IN_LATENCY_MS),
      ...optional('FAULT_SEED', env.FULFILMENT_STAND_IN_FAULT_SEED),
      ...optional('LOG_LEVEL', env.FULFILMENT_STAND_IN_LOG_LEVEL),
    }),
  });
}

function smtpSink(stackDir, smtpPort, httpPort, env) {
  const smtpUrl = `smtp://127.0.0.1:${smtpPort}`;
  const httpBase = `http://127.0.0.1:${httpPort}`;
  return standInProcess({
    name: 'smtp',
    label: 'The SMTP sink',
    noun: 'an SMTP sink',
    stackDir,
    ports: [smtpPort, httpPort],
    health: { url: `${httpBase}/health`, service: 'smtp' },
    url: smtpUrl,
    describe: `${smtpUrl}, messages on ${httpBase}/messages`,
    env: { SMTP_URL: smtpUrl, SMTP_SINK_URL: httpBase },
    occupiedHint: 'set SMTP_URL',
    processEnv: (dataFile) => ({
      SMTP_PORT: String(smtpPort),
      HTTP_PORT: String(httpPort),
      DATA_FILE: dataFile,
      ...optional('LOG_LEVEL', env.SMTP_SINK_LOG_LEVEL),
    }),
  });
}

/**
 * One stand-in as a detached process of this stack: its pid in
 * `<stack>/<name>/<name>.pid`, its journal beside it, its log in `<stack>/<name>.log`.
 * Running means the recorded pid is alive AND is what answers the health check,
 * so a stale pid file or someone else's server is never mistaken for ours.
 */
function standInProcess({ name, label, noun, stackDir, ports, health, url, describe, env, occupiedHint, processEnv }) {
  const dir = join(stackDir, name);
  const pidFile = join(dir, `${name}.pid`);
  const dataFile = join(dir, `${name}.jsonl`);
  const logFile = join(stackDir, `${name}.log`);
  const entry = join(root, 'stand-ins', 'dist', name, 'main.js');

  const recordedPid = () => (existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8')) || null : null);

  return {
    name,
    url,
    env,
    isRunning: () => {
      const pid = recordedPid();
      return pid !== null && isAlive(pid) && healthPid(health) === pid;
    },
    async start() {
      if (!existsSync(entry)) {
        throw new Error(`${label} is not built (${entry} is missing): run \`npm run build -w stand-ins\` first`);
      }
      if (healthPid(health) !== null) {
        throw new Error(`${describe ?? url} already answers as ${noun} that this stack did not start; stop it or ${occupiedHint}`);
      }
      for (const port of ports) {
        if (await portAnswers(port)) {
          throw new Error(
            `Port ${port} on 127.0.0.1 is taken by another program, so ${noun.replace(/^an? /, 'the ')} cannot start; stop it or ${occupiedHint}`,
          );
        }
      }
      mkdirSync(dir, { recursive: true });
      const log = openSync(logFile, 'a');
      const child = spawn(process.execPath, [entry], {
        cwd: root,
        detached: true,
        stdio: ['ignore', log, log],
        // Only what the stand-in reads: a developer's PORT or DATA_FILE must not leak in.
        env: { PATH: process.env.PATH ?? '', ...processEnv(dataFile) },
      });
      closeSync(log);
      let exited = null;
      child.once('exit', (code, signal) => (exited = code ?? signal));
      writeFileSync(pidFile, String(child.pid));
      child.unref();
      for (let attempt = 0; attempt < 100; attempt++) {
        if (exited !== null) break;
        if (healthPid(health) === child.pid) return;
        await sleep(100);
      }
      if (exited === null) stopPid(child.pid);
      rmSync(pidFile, { force: true });
      throw new Error(`${label} did not come up on ${url}${exited !== null ? ` (exited ${exited})` : ''}; see ${logFile}`);
    },
    stop() {
      const pid = recordedPid();
      if (pid !== null && isAlive(pid)) stopPid(pid);
      rmSync(pidFile, { force: true });
    },
    describe: () => describe ?? url,
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
 * The pid behind a stand-in's health endpoint, or null when nothing (or
 * something else) answers. A child `node` keeps this synchronous, as
 * isRunning() is called synchronously by the stack manager.
 */
function healthPid({ url, service }) {
  const script = `fetch(${JSON.stringify(url)}, { signal: AbortSignal.timeout(1000) })
    .then((res) => res.json()).then((body) => console.log(body.service === ${JSON.stringify(service)} ? body.pid : ''), () => console.log(''))`;
  const result = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 3000 });
  const pid = Number(result.stdout?.trim());
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

/** Whether anything accepts TCP connections on the port (an SMTP port has no health endpoint to ask). */
function portAnswers(port) {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}
