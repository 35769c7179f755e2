/**
 * Runs autocannon in its own process, so the load generator never shares an
 * event loop with the server it measures. Forked by loadTest(); the request
 * paths are drawn at random (or in turn) from the list it is given.
 */
import autocannon from 'autocannon';
import { fork } from 'node:child_process';

export interface LoadTest {
  baseUrl: string;
  paths: string[];
  /** random: uniform over paths (a warm working set); sequential: each path once, in turn (cache misses). */
  pick: 'random' | 'sequential';
  headers?: Record<string, string>;
  connections: number;
  durationSeconds: number;
}

export interface LoadResult {
  rps: number;
  requests: number;
  p50_ms: number;
  p99_ms: number;
  non2xx: number;
  errors: number;
}

/**
 * Forks this file once; each run() sends one load test and waits for its
 * figures. One child for the whole bench: forking per run would spend seconds
 * of a cache's TTL on process start-up.
 */
export function startLoadClient() {
  const child = fork(new URL(import.meta.url).pathname, ['--child'], { stdio: 'inherit' });
  let failed: Error | undefined;
  child.once('exit', (code) => {
    if (code) failed = new Error(`load client exited with ${code}`);
  });
  return {
    run(test: LoadTest): Promise<LoadResult> {
      if (failed) return Promise.reject(failed);
      return new Promise((resolve, reject) => {
        const onExit = () => reject(failed ?? new Error('load client exited'));
        child.once('exit', onExit);
        child.once('message', (result) => {
          child.off('exit', onExit);
          resolve(result as LoadResult);
        });
        child.send(test);
      });
    },
    close() {
      child.removeAllListeners('exit');
      child.kill();
    },
  };
}

async function runChild(test: LoadTest): Promise<LoadResult> {
  let next = 0;
  const result = await autocannon({
    url: test.baseUrl,
    connections: test.connections,
    duration: test.durationSeconds,
    headers: test.headers,
    requests: [
      {
        method: 'GET',
        setupRequest: (request) => {
          const index = test.pick === 'random' ? Math.floor(Math.random() * test.paths.length) : next++ % test.paths.length;
          return { ...request, path: test.paths[index]! };
        },
      },
    ],
  });
  return loadResultOf(result);
}

/** autocannon's result as the figures the benches report. */
export function loadResultOf(result: autocannon.Result): LoadResult {
  return {
    rps: result.requests.average,
    requests: result.requests.total,
    p50_ms: result.latency.p50,
    p99_ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

if (process.argv.includes('--child')) {
  process.on('message', (test) => {
    runChild(test as LoadTest).then(
      (result) => process.send!(result),
      (error) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
}
