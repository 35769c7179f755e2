import type { StepAction } from './run-lifecycle.js';

export interface DispatchedStep {
  id: string;
  action: StepAction;
}

/**
 * How planning, resume, retry and the sweep hand steps to the execution
 * engine. Called after the transaction that made the steps `pending` has
 * committed, with the steps still `pending` (or, from the sweep, possibly
 * already `queued`); the engine makes each one `queued` and gives it a job.
 *
 * The contract the engine keeps:
 * - idempotent: the same step handed over twice is one job (the sweep and a
 *   crash between commit and hand-over both repeat calls);
 * - it may be called with thousands of steps: it enqueues in chunks;
 * - it never changes a step that is not `pending` or `queued`, and never a
 *   step of a run that is not `running` (the engine's claim re-checks both);
 * - after the steps it releases the run's notices that are due, so an empty
 *   hand-over (a notify-only run) sends them at once.
 *
 * The engine's implementation: engine/queue-step-dispatcher.ts.
 */
export interface StepDispatcher {
  enqueue(runId: string, steps: DispatchedStep[]): Promise<void>;

  /**
   * How planning hands its steps over in its own transaction, instead of writing them `pending`
   * and having `enqueue` rewrite every row: a step to run is written `queued` and owned by chunk
   * job `<jobPrefix><n>`, n being its rank among its action's steps (from 0) divided by `size`.
   */
  planChunks(runId: string): Record<StepAction, { size: number; jobPrefix: string }>;

  /**
   * After the planning transaction committed (or again, when it may not have finished): gives
   * the run's queued steps the chunk jobs they name — a no-op for a job that already exists —
   * and releases the run's due notices, as `enqueue` does.
   */
  dispatchQueued(runId: string): Promise<void>;
}

export const RUN_STEP_DISPATCHER = Symbol('RUN_STEP_DISPATCHER');
