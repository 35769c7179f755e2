import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

/**
 * One stand-in as a real process for one test file: `node stand-ins/dist/<name>/main.js`
 * on free 127.0.0.1 ports (never the stacks'), with only the environment given.
 */
const repoRoot = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');

export interface RunningProcess {
  output(): string;
  /** SIGTERM and wait; resolves with how it exited. */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Stop, then start again with the same environment (same DATA_FILE: state must come back). */
  restart(): Promise<void>;
}

export async function startProcess(
  name: 'stripe' | 'fulfilment' | 'smtp',
  env: Record<string, string>,
  readyLine: string,
): Promise<RunningProcess> {
  const entry = join(repoRoot, 'stand-ins', 'dist', name, 'main.js');
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run \`npm run build -w stand-ins\``);
  let child!: ChildProcess;
  let output = '';
  const launch = async () => {
    const from = output.length;
    child = spawn(process.execPath, [entry], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await waitFor(() => output.slice(from).includes(`"msg":"${readyLine}"`) || child.exitCode !== null, 10_000, `${name} to start`);
    if (child.exitCode !== null) throw new Error(`${name} stand-in exited (${child.exitCode}):\n${output}`);
  };
  await launch();
  const stop = () =>
    new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve({ code: child.exitCode, signal: child.signalCode });
      child.once('exit', (code, signal) => resolve({ code, signal }));
      child.kill('SIGTERM');
    });
  return {
    output: () => output,
    stop,
    restart: async () => {
      await stop();
      await launch();
    },
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Polls `condition` every 25 ms; fails with `what` after `timeoutMs`. */
export async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs: number, what = 'a condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
