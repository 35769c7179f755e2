import type { EngineStack } from '../remediation-stack.js';
import type { RunningProcess } from '../processes.js';
import type { PrivatePostgres } from './private-postgres.js';
import type { PrivateRedis } from './private-redis.js';

export type FaultEvent = 'kill' | 'restart-redis' | 'restart-postgres';

export interface FaultRecord {
  event: FaultEvent;
  /** Milliseconds since the driver started. */
  atMs: number;
  /** How long the fault took to apply (a restart: down and up again; a kill: killed and a new worker started). */
  tookMs: number;
  /** The run's open steps (pending, queued, in flight) just before: a fault with none open hit nothing. */
  openSteps: number;
  detail?: string;
}

/** Mulberry32: a small seeded PRNG, so a failing schedule replays with its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The schedule: `kills` SIGKILLs with the Redis restart after the first
 * quarter of them and the PostgreSQL restart after the first half, so both
 * land mid-run with kills before and after.
 */
export function faultSchedule(kills: number): FaultEvent[] {
  const events: FaultEvent[] = Array.from({ length: kills }, () => 'kill');
  events.splice(Math.max(1, Math.floor(kills / 2)), 0, 'restart-postgres');
  events.splice(Math.max(1, Math.floor(kills / 4)), 0, 'restart-redis');
  return events;
}

export interface FaultDriverOptions {
  stack: EngineStack;
  postgres: PrivatePostgres;
  redis: PrivateRedis;
  runId: string;
  events: FaultEvent[];
  random: () => number;
  /** Each event waits a random time in this range after the previous one finished. */
  gapMs: [number, number];
  /** How long Redis and PostgreSQL stay down. */
  downMs: number;
  /** Called (not awaited) once both restarts are done. */
  onRestartsDone?: () => void;
}

/**
 * Applies the events one after another at random moments while the run has
 * open steps. A killed worker is replaced at once (the run keeps two), the way
 * a supervisor would; the replacement may start while the queues still hold
 * the dead one's locks. Stops early when the run has nothing open. Only
 * processes of this stack are signalled, by their own handles.
 */
export async function driveFaults(options: FaultDriverOptions): Promise<FaultRecord[]> {
  const { stack, postgres, redis, runId, random } = options;
  const records: FaultRecord[] = [];
  const started = Date.now();
  let restartsLeft = options.events.filter((event) => event !== 'kill').length;
  for (const event of options.events) {
    const [min, max] = options.gapMs;
    await new Promise((resolve) => setTimeout(resolve, min + random() * (max - min)));
    const openSteps = await openStepCount(stack, runId);
    if (openSteps === 0) break;
    const at = Date.now();
    let detail: string | undefined;
    if (event === 'kill') {
      const alive = stack.workers.filter(isAlive);
      const victim = alive[Math.floor(random() * alive.length)]!;
      victim.child.kill('SIGKILL');
      await victim.exited;
      detail = `pid ${victim.child.pid}`;
      await stack.startWorker();
    } else if (event === 'restart-redis') {
      await redis.restart(options.downMs);
    } else {
      await postgres.restart(options.downMs);
    }
    records.push({ event, atMs: at - started, tookMs: Date.now() - at, openSteps, detail });
    if (event !== 'kill' && --restartsLeft === 0) options.onRestartsDone?.();
  }
  return records;
}

export const isAlive = (worker: RunningProcess) => worker.child.exitCode === null && worker.child.signalCode === null;

/** Open steps of the run; retried through a restart (the suite's own pool loses its connections too). */
export async function openStepCount(stack: EngineStack, runId: string): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    try {
      const { rows } = await stack.api.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM remediation_step WHERE run_id = $1 AND status IN ('pending', 'queued', 'in_flight')`,
        [runId],
      );
      return rows[0]!.n;
    } catch (error) {
      if (attempt >= 20) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}
