import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

// One free-port rule for the test harness and the benches.
export { freePort } from '../../test/stand-ins/stand-in-process.js';

/**
 * A server as a child process of a bench, measured on its own: its CPU time is read from
 * /proc/<pid>/stat, so what the bench process itself spends (the client side) never counts.
 */
export interface ChildServer {
  pid: number;
  output(): string;
  /** User + system CPU milliseconds the process has used so far (10 ms resolution). */
  cpuMs(): number;
  stop(): Promise<void>;
}

/** Starts `node ...args` in `cwd` with only `env` (and PATH), and waits for `readyLine` on its output. */
export async function startChildServer(args: string[], env: Record<string, string>, readyLine: string, cwd: string): Promise<ChildServer> {
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 20_000;
  while (!output.includes(readyLine)) {
    if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited (${child.exitCode}):\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${args.join(' ')} did not print ${readyLine}:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const pid = child.pid!;
  return {
    pid,
    output: () => output,
    cpuMs: () => processCpuMs(pid),
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** utime + stime of one process (Linux), in milliseconds. */
export function processCpuMs(pid: number): number {
  // Fields after the command name (which may hold spaces): state ppid … utime(12th) stime(13th).
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // USER_HZ is 100
}
