import { randomUUID } from 'node:crypto';

/**
 * Rows (steps or notices) per chunk job: about a quarter of a second of the
 * provider's budget, between 1 and 50. A chunk's rows are claimed together
 * when its first call may start, so a paused run still has at most that much
 * work claimed per chunk in flight; larger chunks would save little, since the
 * statements a chunk costs are already shared by dozens of rows.
 */
export function chunkSizeFor(perSecond: number): number {
  return Math.max(1, Math.min(50, Math.floor(perSecond / 4)));
}

export type ChunkKind = 'refunds' | 'shipments' | 'notices';

/**
 * A new chunk job's id, unique per hand-over (a retried step gets a new job even
 * while its old chunk is still finishing others). Kept on the rows it owns, so
 * nothing needs to derive it again. BullMQ ids may not contain ':'.
 */
export function newChunkJobId(kind: ChunkKind): string {
  return `${kind}-${randomUUID()}`;
}

/**
 * The id prefix of the chunk jobs planning hands its steps to (`<prefix><n>`): unique per run, and
 * the same if planning runs again, so a second hand-over of its jobs is a no-op.
 */
export function plannedChunkJobPrefix(kind: ChunkKind, runId: string): string {
  return `${kind}-${runId}-`;
}

/** `items` in consecutive chunks of at most `size`. */
export function inChunks<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

/** Rows grouped by the chunk job that owns them, in first-seen order. */
export function byJob<T extends { jobId: string }>(rows: readonly T[]): Map<string, T[]> {
  const jobs = new Map<string, T[]>();
  for (const row of rows) {
    const list = jobs.get(row.jobId);
    if (list) list.push(row);
    else jobs.set(row.jobId, [row]);
  }
  return jobs;
}
