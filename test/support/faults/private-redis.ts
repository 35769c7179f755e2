import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitForRedis } from '../redis-server.js';

/**
 * A Redis of the fault suite's own, with the settings the queues rely on
 * (AOF every second, noeviction), on a free port — restarting it never
 * touches the test stack's Redis. It runs in the foreground as our child, so
 * it is ended by its pid only.
 */
export interface PrivateRedis {
  url: string;
  /** SIGTERM (Redis writes its AOF and exits), `downMs` of nothing listening, start again on the same port and data. */
  restart(downMs: number): Promise<void>;
  destroy(): Promise<void>;
}

export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'rd-faults-redis-'));
  let child: ChildProcess;
  const start = async () => {
    child = spawn(
      'redis-server',
      [
        ...['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', ''],
        ...['--appendonly', 'yes', '--appendfsync', 'everysec', '--maxmemory-policy', 'noeviction'],
      ],
      { stdio: 'ignore' },
    );
    await waitForRedis(port, 20_000);
  };
  const stop = async (signal: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await exited;
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    async restart(downMs) {
      await stop('SIGTERM');
      await new Promise((resolve) => setTimeout(resolve, downMs));
      await start();
    },
    async destroy() {
      await stop('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
