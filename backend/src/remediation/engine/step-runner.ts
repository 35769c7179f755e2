import { Inject, Injectable } from '@nestjs/common';
import { Worker } from 'bullmq';
import type { EntityManager } from 'typeorm';
import type { Logger } from 'pino';
import { defaultJobOptions, type JobOutcome, type QueueKey } from '../../jobs/job-catalogue.js';
import { JobQueueService } from '../../jobs/job-queue.service.js';
import { LOGGER } from '../../observability/observability.module.js';
import { ProviderFailure } from '../../payments/provider-failure.js';
import { describe } from './describe-failure.js';
import { StepFollowUps } from './step-follow-ups.js';
import { StepStore, type ClaimedStep, type FinalResult } from './step-store.js';

/** What an executor decided: the final result, and writes that belong in the same transaction. */
export interface StepExecution {
  result: FinalResult;
  /** Runs inside the transaction that records the result; may return an adjusted result. */
  alsoIn?: (manager: EntityManager) => Promise<FinalResult | void>;
}

export interface StepExecutor {
  /** Calls the provider (never inside a transaction). Throws ProviderFailure for what the runner decides. */
  execute(step: ClaimedStep): Promise<StepExecution>;
}

/** How long the whole queue waits after a 429 that did not say (Stripe usually does not). */
const defaultRateLimitPauseMs = 1000;

/**
 * One attempt at one step, following docs/remediation.md "Exactly once":
 * claim (short transaction) → provider call (no transaction) → record
 * (one transaction) → tell the run and the customer's notice.
 *
 * Failures: a 429 rate_limit undoes the claim, pauses the whole queue and
 * hands the job back (BullMQ's RateLimitError: not a failed attempt); a
 * transient failure throws, so BullMQ retries with backoff and jitter, until
 * the last attempt, which records the step failed with the last error; a
 * permanent failure records the step failed (or skipped, as the executor
 * says) at once, with the provider's code and message.
 */
@Injectable()
export class StepRunner {
  private readonly logger: Logger;

  constructor(
    private readonly store: StepStore,
    private readonly followUps: StepFollowUps,
    private readonly jobQueues: JobQueueService,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ component: 'remediation-engine' });
  }

  async run(queue: QueueKey, stepId: string, attempt: number, executor: StepExecutor): Promise<JobOutcome> {
    const claim = await this.store.claim(stepId);
    if (claim.kind === 'paused') return { status: 'skipped', reason: 'run paused: step back to pending' };
    if (claim.kind === 'dropped') {
      // A step already final may have lost its follow-ups to a crash right after recording: redo them (idempotent).
      if (claim.final) await this.followUps.afterFinal(claim.final.runId, stepId);
      return { status: 'skipped', reason: claim.reason };
    }
    if (claim.kind === 'cancelled') {
      await this.followUps.afterFinal(claim.runId, stepId);
      return { status: 'skipped', reason: 'run cancelled before the step started' };
    }

    const step = claim.step;
    let execution: StepExecution;
    try {
      execution = await executor.execute(step);
    } catch (error) {
      if (error instanceof ProviderFailure && error.kind === 'rate_limited') {
        await this.store.releaseRateLimited(step.id);
        await this.jobQueues.queue(queue).rateLimit(error.retryAfterMs ?? defaultRateLimitPauseMs);
        throw Worker.RateLimitError();
      }
      const failure = describe(error);
      const maxAttempts = defaultJobOptions[queue].attempts ?? 1;
      if (error instanceof ProviderFailure && error.kind === 'permanent') {
        execution = { result: { status: 'failed', errorCode: failure.code, errorMessage: failure.message } };
      } else if (attempt < maxAttempts) {
        await this.store.noteError(step.id, failure.code, failure.message);
        this.logger.warn({ stepId, runId: step.runId, attempt, code: failure.code, err: failure.message }, 'step attempt failed; retrying');
        throw error;
      } else {
        await this.finish(step, {
          result: { status: 'failed', errorCode: failure.code, errorMessage: `Gave up after ${attempt} attempts: ${failure.message}` },
        });
        // Rethrown so the job counts as failed in the queue's metrics; the step already says why.
        throw error;
      }
    }
    const status = await this.finish(step, execution);
    return { status: 'success', detail: { stepId, status, code: execution.result.errorCode ?? undefined } };
  }

  private async finish(step: ClaimedStep, execution: StepExecution): Promise<string> {
    const recorded = await this.store.finish(step, execution.result, execution.alsoIn);
    await this.followUps.afterFinal(step.runId, step.id);
    return recorded ?? 'unchanged';
  }
}
