// A project-local Redis with the settings the queues rely on: AOF on (queued
// work survives a restart) and noeviction (Redis never drops a job to free memory).
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { capture, run, sleep } from './run.mjs';

export function redisService(stackDir, port) {
  const dir = join(stackDir, 'redis');
  const pidFile = join(dir, 'redis.pid');
  const logFile = join(stackDir, 'redis.log');
  const url = `redis://127.0.0.1:${port}`;

  const ping = () => capture('redis-cli', ['-p', String(port), 'ping']);

  return {
    name: 'redis',
    url,
    isRunning: () => {
      if (!existsSync(pidFile)) return false;
      const pid = Number(readFileSync(pidFile, 'utf8'));
      try {
        process.kill(pid, 0);
      } catch {
        return false;
      }
      return ping() !== null;
    },
    async start() {
      mkdirSync(dir, { recursive: true });
      if (ping() !== null)
        throw new Error(`Port ${port} already answers Redis but not from this project's stack; stop it or set REDIS_URL`);
      run('redis-server', [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--dir',
        dir,
        '--daemonize',
        'yes',
        '--pidfile',
        pidFile,
        '--logfile',
        logFile,
        '--appendonly',
        'yes',
        '--appendfsync',
        'everysec',
        '--save',
        '',
        '--maxmemory-policy',
        'noeviction',
      ]);
      await waitForPong(port);
    },
    stop() {
      capture('redis-cli', ['-p', String(port), 'shutdown']);
    },
    describe: () => url,
    logFile,
  };
}

/** Redis answers LOADING while it replays the AOF; wait for a real PONG. */
export async function waitForPong(port) {
  for (let attempt = 0; attempt < 200; attempt++) {
    if (capture('redis-cli', ['-p', String(port), 'ping']) === 'PONG') return;
    await sleep(50);
  }
  throw new Error(`Redis did not answer PONG on 127.0.0.1:${port}`);
}
