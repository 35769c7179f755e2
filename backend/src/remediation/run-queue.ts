import { Injectable } from '@nestjs/common';
import { JobQueueService } from '../jobs/job-queue.service.js';

/** Puts a run's planning on the `{remediation}` queue, once per run (deterministic job id). */
@Injectable()
export class RunQueue {
  constructor(private readonly jobs: JobQueueService) {}

  async enqueuePlan(runId: string): Promise<void> {
    const jobId = `plan-${runId}`;
    const existing = await this.jobs.queue('remediation').getJob(jobId);
    if (existing) {
      const state = await existing.getState();
      // Waiting, delayed or active: already on its way.
      if (state !== 'completed' && state !== 'failed') return;
      // A finished job keeps its id for a while; planning is idempotent, so a stale one is replaced.
      await existing.remove();
    }
    await this.jobs.enqueue('remediation.plan', { runId }, { jobId });
  }
}
