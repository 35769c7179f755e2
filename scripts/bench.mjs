// `npm run bench -- NAME`: runs bench/NAME.ts, which brings up what it needs,
// measures against a baseline in the same run, prints a table and writes
// bench/results/NAME.json. Benchmarks arrive with the issues that need them.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './lib/bootstrap.mjs';

const name = process.argv[2];
const available = existsSync(join(root, 'bench'))
  ? readdirSync(join(root, 'bench'))
      .filter((f) => f.endsWith('.ts'))
      .map((f) => f.replace(/\.ts$/, ''))
  : [];
if (!name || !available.includes(name)) {
  console.error(`Usage: npm run bench -- NAME\nAvailable: ${available.length ? available.join(', ') : '(none yet)'}`);
  process.exit(2);
}
