import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Logger } from 'pino';
import { defaultJobOptions, type JobOutcome } from '../../jobs/job-catalogue.js';
import type { JobContext } from '../../jobs/handler-discovery.js';
import type { RatePacer, SlotSchedule } from '../../jobs/rate-pacer.js';
import { LOGGER } from '../../observability/observability.module.js';
import { ProviderFailure } from '../../payments/provider-failure.js';
import { describe } from './describe-failure.js';
import { ProviderBudgets, type ProviderQueue } from './provider-budgets.js';
import { StepFollowUps } from './step-follow-ups.js';
import { StepStore, type ClaimedStep, type FinalResult, type Finished } from './step-store.js';

/** Waits for the provider's next slot; an executor calls it before each request it makes. */
export type Pace = () => Promise<void>;

export interface StepExecutor<E extends { result: FinalResult }> {
  /** Calls the provider (never inside a transaction), pacing each call. Throws ProviderFailure for what the runner decides. */
  execute(step: ClaimedStep, pace: Pace): Promise<E>;
  /** Inside the transaction that records a chunk: what the results carry, and each result as it is to be recorded. */
  recordFacts(manager: EntityManager, finished: Finished<E>[]): Promise<FinalResult[]>;
}

/** How long the whole provider waits after a 429 that did not say (Stripe usually does not). */
const defaultRateLimitPauseMs = 1000;
/** 429s one step may meet in a row before it counts as a failed attempt (a provider that never lets it through). */
const maxRefusalsInARow = 20;

type Attempt<E> = { execution: E } | { failure: { code: string; message: string }; permanent: boolean };

/**
 * One attempt at a chunk of one run's steps, following docs/remediation.md
 * "Exactly once": claim the chunk when its first slot comes (one short
 * transaction) → call the provider for each step at its own slot (no
 * transaction) → record every final result (one transaction) → release the
 * customers' notices and finish the run when nothing is left.
 *
 * Failures, per step: a 429 holds every process's next call back (the
 * provider's Retry-After, else a second) and the step tries again in this
 * attempt — the provider did nothing, so it is not a failed attempt; a
 * permanent failure records the step failed (or skipped, as the executor
 * says) with the provider's code and message; a transient one leaves the step
 * in flight with its error shown, and the chunk's job retries just those steps
 * with backoff and jitter — on its last attempt they are recorded failed.
 */
@Injectable()
export class StepChunkRunner {
  private readonly logger: Logger;

  constructor(
    private readonly store: StepStore,
    private readonly followUps: StepFollowUps,
    private readonly budgets: ProviderBudgets,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ component: 'remediation-engine' });
  }

  async run<E extends { result: FinalResult }>(
    queue: ProviderQueue,
    data: { runId: string; stepIds: string[] },
    context: JobContext,
    executor: StepExecutor<E>,
  ): Promise<JobOutcome> {
    const pacer = this.budgets.pacer(queue);
    const schedule = await pacer.reserve(data.stepIds.length);
    await schedule.wait(0);
    const claim = await this.store.claimChunk(context.jobId, data.stepIds);

    const attempts = await Promise.all(claim.claimed.map((step, i) => this.attempt(step, executor, pacer, schedule, i)));
    const lastAttempt = context.attempt >= (defaultJobOptions[queue].attempts ?? 1);
    const finished: Finished<E>[] = [];
    const retrying: { step: ClaimedStep; code: string; message: string }[] = [];
    let gaveUp = 0;
    claim.claimed.forEach((step, i) => {
      const attempt = attempts[i]!;
      if ('execution' in attempt) finished.push({ step, execution: attempt.execution });
      else if (attempt.permanent) finished.push({ step, execution: failed(attempt.failure.code, attempt.failure.message) });
      else if (lastAttempt) {
        gaveUp += 1;
        finished.push({
          step,
          execution: failed(attempt.failure.code, `Gave up after ${context.attempt} attempts: ${attempt.failure.message}`),
        });
      } else retrying.push({ step, ...attempt.failure });
    });

    await this.store.finishChunk(finished, (manager, items) => executor.recordFacts(manager, items));
    await this.store.noteErrors(retrying.map(({ step, code, message }) => ({ stepId: step.id, code, message })));
    await this.followUps.afterSteps(data.runId, [...claim.settled, ...finished.map(({ step }) => step.id)]);

    if (retrying.length) {
      for (const { step, code, message } of retrying) {
        this.logger.warn(
          { stepId: step.id, runId: data.runId, attempt: context.attempt, code, err: message },
          'step attempt failed; retrying',
        );
      }
      // The next attempt takes only these steps (the others are final); BullMQ spaces it with backoff and jitter.
      await context.narrow({ runId: data.runId, stepIds: retrying.map(({ step }) => step.id) });
      throw new Error(`${retrying.length} of ${claim.claimed.length} steps failed transiently (${retrying[0]!.code}); retrying them`);
    }
    // Thrown so the job counts as failed in the queue's metrics; the steps already say why.
    if (gaveUp) throw new Error(`${gaveUp} steps failed after ${context.attempt} attempts`);
    return {
      status: 'success',
      detail: { steps: data.stepIds.length, finished: finished.length, settled: claim.settled.length, dropped: claim.dropped },
    };
  }

  /** Executes one claimed step; its first call waits for the step's own slot, any further call for a new one. */
  private async attempt<E extends { result: FinalResult }>(
    step: ClaimedStep,
    executor: StepExecutor<E>,
    pacer: RatePacer,
    schedule: SlotSchedule,
    slot: number,
  ): Promise<Attempt<E>> {
    let reserved = true;
    const pace: Pace = () => {
      if (!reserved) return pacer.acquire();
      reserved = false;
      return schedule.wait(slot);
    };
    for (let refusals = 0; ; refusals++) {
      try {
        return { execution: await executor.execute(step, pace) };
      } catch (error) {
        if (error instanceof ProviderFailure && error.kind === 'rate_limited' && refusals < maxRefusalsInARow) {
          const held = await pacer.holdOff(error.retryAfterMs ?? defaultRateLimitPauseMs).then(
            () => null,
            (holdError: unknown) => holdError,
          );
          if (held === null) continue;
          return { failure: describe(held), permanent: false };
        }
        return { failure: describe(error), permanent: error instanceof ProviderFailure && error.kind === 'permanent' };
      }
    }
  }
}

function failed<E extends { result: FinalResult }>(code: string, message: string): E {
  return { result: { status: 'failed', errorCode: code, errorMessage: message } } as E;
}
