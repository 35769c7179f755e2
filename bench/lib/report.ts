import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const repoRoot = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');

/** Prints a two-column table and writes the figures to bench/results/<name>.json. */
export function report(name: string, figures: Record<string, number | string | boolean>, notes: string[] = []) {
  const width = Math.max(...Object.keys(figures).map((k) => k.length));
  console.log(`\n${name}`);
  console.log(`${'-'.repeat(width)}  ${'-'.repeat(14)}`);
  for (const [key, value] of Object.entries(figures)) {
    const shown = typeof value === 'number' ? (Number.isInteger(value) ? value.toLocaleString('en') : value.toFixed(3)) : String(value);
    console.log(`${key.padEnd(width)}  ${shown.padStart(14)}`);
  }
  for (const note of notes) console.log(`  ${note}`);
  const dir = join(repoRoot, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify({ name, measuredAt: new Date().toISOString(), ...figures }, null, 2) + '\n');
  console.log(`\nwritten to ${file}`);
}

export function percentile(sortedMs: number[], p: number): number {
  if (sortedMs.length === 0) return NaN;
  const index = Math.min(sortedMs.length - 1, Math.ceil((p / 100) * sortedMs.length) - 1);
  return sortedMs[Math.max(0, index)]!;
}

export async function timed<T>(work: () => Promise<T>): Promise<{ result: T; seconds: number }> {
  const started = process.hrtime.bigint();
  const result = await work();
  return { result, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

/** `--orders 100000` style options with defaults. */
export function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  if (index === -1) return fallback;
  const value = Number(process.argv[index + 1]);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name} must be a positive integer`);
  return value;
}
