// The local stack: PostgreSQL, Redis and the provider stand-ins, each on
// 127.0.0.1 and the stack's own ports, with data under .stack/<name>/.
// `up` is idempotent (a running service is reused) and reports what IT started,
// so the demo and the test run stop only what they started.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './bootstrap.mjs';
import { postgresService } from './postgres.mjs';
import { redisService } from './redis.mjs';
import { standInServices } from './stand-ins.mjs';
import { say } from './run.mjs';

export const stacks = {
  dev: { pgPort: 55432, redisPort: 56379, standInBase: 12100, fastDisk: false },
  test: { pgPort: 55433, redisPort: 56380, standInBase: 12200, fastDisk: true },
  bench: { pgPort: 55434, redisPort: 56381, standInBase: 12300, fastDisk: false },
};

export function stackServices(name, env = process.env) {
  const settings = stacks[name];
  if (!settings) throw new Error(`Unknown stack "${name}"; use one of ${Object.keys(stacks).join(', ')}`);
  const dir = join(root, '.stack', name);
  mkdirSync(dir, { recursive: true });
  const services = [];
  // Given URLs mean servers someone else runs: start nothing for them.
  if (!env.DATABASE_URL) services.push(postgresService(dir, settings.pgPort, { fast: settings.fastDisk }));
  if (!env.REDIS_URL) services.push(redisService(dir, settings.redisPort));
  services.push(...standInServices(dir, settings.standInBase, env));
  return { dir, settings, services };
}

/** Starts what is not running. Returns the environment for the app and the names it started. */
export async function stackUp(name, env = process.env) {
  const { dir, services } = stackServices(name, env);
  const started = [];
  for (const service of services) {
    if (service.isRunning()) continue;
    say(`Starting ${service.name} (${name} stack)…`);
    await service.start();
    started.push(service.name);
  }
  return { dir, started, env: stackEnv(name, env) };
}

export function stackDown(name, only, env = process.env) {
  const { services } = stackServices(name, env);
  for (const service of [...services].reverse()) {
    if (only && !only.includes(service.name)) continue;
    if (!service.isRunning()) continue;
    say(`Stopping ${service.name} (${name} stack)…`);
    service.stop();
  }
}

export function stackStatus(name, env = process.env) {
  const { services } = stackServices(name, env);
  return services.map((service) => ({ name: service.name, running: service.isRunning(), url: service.describe(), log: service.logFile }));
}

/** The variables the backend needs to use this stack (given ones win). */
export function stackEnv(name, env = process.env) {
  const { services } = stackServices(name, env);
  const byName = Object.fromEntries(services.map((service) => [service.name, service]));
  const database = name === 'test' ? 'recovery_desk_template' : 'recovery_desk';
  return {
    DATABASE_URL: env.DATABASE_URL ?? byName.postgres.url(database),
    REDIS_URL: env.REDIS_URL ?? byName.redis.url,
    ...Object.assign({}, ...services.filter((service) => service.env).map((service) => service.env)),
  };
}
