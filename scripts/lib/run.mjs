// Small process helpers for the project scripts. Plain Node only: these run
// before `npm install` has put anything in node_modules.
import { spawn, spawnSync } from 'node:child_process';

// Progress goes to stderr, so what a command prints as its result (a docs table) stays clean on stdout.
export const say = (message) => console.error(`\x1b[36m▸\x1b[0m ${message}`);
export const warn = (message) => console.error(`\x1b[33m!\x1b[0m ${message}`);

/** Runs a command to completion with inherited output; throws on a non-zero exit. */
export function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', ...options });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited with ${result.status ?? result.signal}`);
  }
  return result;
}

/** Runs a command and returns its stdout (trimmed); null if it failed. */
export function capture(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', ...options });
  if (result.error || result.status !== 0) return null;
  return result.stdout.trim();
}

export function commandExists(command) {
  return capture('sh', ['-c', `command -v ${command}`]) !== null;
}

/** Runs a command asynchronously with inherited output; resolves with its exit code. */
export function runAsync(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'inherit', ...options });
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export function isRoot() {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}
