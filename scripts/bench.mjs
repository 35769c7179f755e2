// `npm run bench -- NAME [options]`: brings up the bench stack (its own
// PostgreSQL and Redis), runs bench/NAME.ts, which measures against a baseline
// in the same run, prints a table and writes bench/results/NAME.json.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ensureNodeModules, ensureSystemPackages, root } from './lib/bootstrap.mjs';
import { buildBackend, buildStandIns } from './lib/build.mjs';
import { runAsync } from './lib/run.mjs';
import { stackDown, stackUp } from './lib/stack.mjs';

const [name, ...options] = process.argv.slice(2);
const available = readdirSync(join(root, 'bench'))
  .filter((file) => file.endsWith('.ts'))
  .map((file) => file.replace(/\.ts$/, ''));
if (!name || !available.includes(name)) {
  console.error(`Usage: npm run bench -- NAME [options]\nAvailable: ${available.join(', ')}`);
  process.exit(2);
}

ensureNodeModules();
ensureSystemPackages(['postgresql', 'redis']);
const stackInput = { ...process.env, DATABASE_URL: process.env.BENCH_DATABASE_URL, REDIS_URL: process.env.BENCH_REDIS_URL };
buildStandIns();
const { started, env } = await stackUp('bench', stackInput);
let code = 1;
try {
  buildBackend();
  const admin = new URL(env.DATABASE_URL);
  admin.pathname = '/postgres';
  code = await runAsync(process.execPath, ['--import', '@swc-node/register/esm-register', join(root, 'bench', `${name}.ts`), ...options], {
    cwd: root,
    env: { ...process.env, ...env, BENCH_DATABASE_URL: admin.toString(), BENCH_REDIS_URL: env.REDIS_URL, LOG_LEVEL: 'silent' },
  });
} finally {
  if (process.env.KEEP_BENCH_STACK !== '1') stackDown('bench', started, stackInput);
}
process.exit(code);
