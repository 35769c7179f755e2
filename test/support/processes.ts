import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { testEnv } from './test-env.js';

export interface RunningProcess {
  child: ChildProcess;
  output(): string;
  /** Resolves when a line of output matches, rejects if the process exits first. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts a compiled backend entry point (`main` or `worker`) as a real process. */
export function startBackendProcess(entry: 'main' | 'worker', env: Record<string, string>): RunningProcess {
  const script = join(testEnv.repoRoot, 'backend', 'dist', `${entry}.js`);
  // Diagnostics only (e.g. `--cpu-prof --cpu-prof-dir=DIR` from the remediate bench's BENCH_CPU_PROF).
  const nodeArgs = env.BACKEND_NODE_ARGS ? env.BACKEND_NODE_ARGS.split(' ') : [];
  const child = spawn(process.execPath, [...nodeArgs, script], {
    // The tests read the JSON log, so it is never silent here.
    env: { PATH: process.env.PATH ?? '', ...env, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    for (const listener of listeners) listener();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );

  return {
    child,
    output: () => output,
    exited,
    waitFor(pattern, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = output.split('\n').find((line) => pattern.test(line));
          if (match) {
            cleanup();
            resolve(match);
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`timed out waiting for ${pattern} in ${entry} output:\n${output.slice(-2000)}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        void exited.then(({ code, signal }) => {
          if (!listeners.has(check)) return;
          cleanup();
          reject(new Error(`${entry} exited (${code ?? signal}) before ${pattern}:\n${output.slice(-2000)}`));
        });
        check();
      });
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
