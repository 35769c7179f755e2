import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { JobQueueService } from '../../jobs/job-queue.service.js';
import type { StepAction } from '../run-lifecycle.js';
import type { DispatchedStep, StepDispatcher } from '../step-dispatcher.js';
import { NoticeSender } from './notice-sender.js';
import { ProviderBudgets, type ProviderQueue } from './provider-budgets.js';
import { byJob, inChunks, newChunkJobId, plannedChunkJobPrefix, type ChunkKind } from './step-chunks.js';

const handOverSize = 1000;

/** Where each step action's chunks go. */
const chunkJobs: Record<StepAction, { queue: ProviderQueue; name: 'remediation.refunds' | 'remediation.shipments'; kind: ChunkKind }> = {
  refund: { queue: 'payments', name: 'remediation.refunds', kind: 'refunds' },
  stop_shipment: { queue: 'fulfilment', name: 'remediation.shipments', kind: 'shipments' },
};

/** A step and the chunk job that owns it. */
interface OwnedStep {
  id: string;
  action: StepAction;
  jobId: string;
}

/**
 * The engine's side of StepDispatcher. Steps are cut into chunks per action
 * (ProviderBudgets.chunkSize) and each chunk gets a new job id; one statement
 * per thousand steps makes them `queued` (only `pending` steps of a `running`
 * run) and stores the job id on each, then the chunk jobs are added. A step
 * already `queued` or `in_flight` (the sweep's hand-over after Redis lost
 * work) gets its own job back, under the id it keeps: a no-op while that job
 * still exists. Finally the run's notices that are due are released (a run
 * whose customers have no steps, or whose steps all finished meanwhile).
 */
@Injectable()
export class QueueStepDispatcher implements StepDispatcher {
  constructor(
    private readonly dataSource: DataSource,
    private readonly jobQueues: JobQueueService,
    private readonly notices: NoticeSender,
    private readonly budgets: ProviderBudgets,
  ) {}

  async enqueue(runId: string, steps: DispatchedStep[]): Promise<void> {
    for (const slice of inChunks(steps, handOverSize)) {
      const planned = this.cut(slice);
      // One statement: the CTE's UPDATE and the SELECT see the same snapshot, so a step is listed once.
      const owned: OwnedStep[] = await this.dataSource.query(
        `WITH running AS (SELECT id FROM remediation_run WHERE id = $1 AND status = 'running'),
              wanted AS (SELECT * FROM unnest($2::uuid[], $3::text[]) AS w(id, job_id)),
              -- Locked in id order, as a chunk's claim does, so the two never deadlock.
              locked AS MATERIALIZED (
                SELECT s.id FROM remediation_step s JOIN running r ON r.id = s.run_id JOIN wanted w ON w.id = s.id
                 WHERE s.status = 'pending' ORDER BY s.id FOR UPDATE OF s),
              queued AS (
                UPDATE remediation_step s SET status = 'queued', job_id = w.job_id, queued_at = now(), updated_at = now()
                  FROM locked l JOIN wanted w ON w.id = l.id
                 WHERE s.id = l.id AND s.status = 'pending'
                RETURNING s.id, s.action, s.job_id)
         SELECT id, action, job_id AS "jobId" FROM queued
         UNION ALL
         SELECT s.id, s.action, s.job_id FROM remediation_step s JOIN running r ON r.id = s.run_id
          WHERE s.id = ANY($2::uuid[]) AND s.status IN ('queued', 'in_flight') AND s.job_id IS NOT NULL`,
        [runId, planned.map((step) => step.id), planned.map((step) => step.jobId)],
      );
      await this.add(runId, owned);
    }
    await this.notices.releaseDue(runId);
  }

  planChunks(runId: string): Record<StepAction, { size: number; jobPrefix: string }> {
    const plan = (action: StepAction) => ({
      size: this.budgets.chunkSize(chunkJobs[action].queue),
      jobPrefix: plannedChunkJobPrefix(chunkJobs[action].kind, runId),
    });
    return { refund: plan('refund'), stop_shipment: plan('stop_shipment') };
  }

  async dispatchQueued(runId: string): Promise<void> {
    const owned: OwnedStep[] = await this.dataSource.query(
      `SELECT s.id, s.action, s.job_id AS "jobId" FROM remediation_step s JOIN remediation_run r ON r.id = s.run_id
        WHERE s.run_id = $1 AND r.status = 'running' AND s.status = 'queued' AND s.job_id IS NOT NULL
        ORDER BY s.job_id, s.id`,
      [runId],
    );
    await this.add(runId, owned);
    await this.notices.releaseDue(runId);
  }

  /**
   * Gives steps whose job Redis may have lost (the engine sweep) the job they
   * name again; a step that names none (handed over before chunk jobs) gets a new one.
   */
  async handBack(runId: string, steps: (DispatchedStep & { jobId: string | null })[]): Promise<void> {
    const unowned = steps.filter((step) => !step.jobId);
    const owned = steps.filter((step): step is OwnedStep => Boolean(step.jobId));
    if (unowned.length) {
      const planned = this.cut(unowned);
      const given: OwnedStep[] = await this.dataSource.query(
        `UPDATE remediation_step s SET job_id = w.job_id, updated_at = now()
           FROM unnest($1::uuid[], $2::text[]) AS w(id, job_id)
          WHERE s.id = w.id AND s.job_id IS NULL AND s.status IN ('queued', 'in_flight')
         RETURNING s.id, s.action, s.job_id AS "jobId"`,
        [planned.map((step) => step.id), planned.map((step) => step.jobId)],
      );
      owned.push(...given);
    }
    await this.add(runId, owned);
  }

  /** The steps cut into chunks, per action, each chunk with a new job id. */
  private cut(steps: DispatchedStep[]): OwnedStep[] {
    const owned: OwnedStep[] = [];
    for (const action of Object.keys(chunkJobs) as StepAction[]) {
      const mine = steps.filter((step) => step.action === action);
      for (const chunk of inChunks(mine, this.budgets.chunkSize(chunkJobs[action].queue))) {
        const jobId = newChunkJobId(chunkJobs[action].kind);
        owned.push(...chunk.map((step) => ({ id: step.id, action, jobId })));
      }
    }
    return owned;
  }

  private async add(runId: string, steps: OwnedStep[]): Promise<void> {
    for (const action of Object.keys(chunkJobs) as StepAction[]) {
      const jobs = byJob(steps.filter((step) => step.action === action));
      if (!jobs.size) continue;
      const { queue, name } = chunkJobs[action];
      await this.jobQueues
        .queue(queue)
        .addBulk([...jobs].map(([jobId, chunk]) => ({ name, data: { runId, stepIds: chunk.map((step) => step.id) }, opts: { jobId } })));
    }
  }
}
