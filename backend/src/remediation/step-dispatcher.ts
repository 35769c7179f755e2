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
}

export const RUN_STEP_DISPATCHER = Symbol('RUN_STEP_DISPATCHER');
