import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { JobQueueService } from '../../jobs/job-queue.service.js';
import type { DispatchedStep, StepDispatcher } from '../step-dispatcher.js';
import { NoticeSender } from './notice-sender.js';

const chunkSize = 1000;

/**
 * The engine's side of StepDispatcher: each chunk of steps becomes `queued`
 * (only `pending` steps of a `running` run) in one statement, then one job
 * per step is added with `addBulk`, job id = step id, so handing a step over
 * twice while its job waits is one job. Steps already `queued` or `in_flight`
 * (the sweep's hand-over after Redis lost work) get their job back without a
 * change of state. Finally the run's notices that are due are released (a
 * run whose customers have no steps, or whose steps all finished meanwhile).
 */
@Injectable()
export class QueueStepDispatcher implements StepDispatcher {
  constructor(
    private readonly dataSource: DataSource,
    private readonly jobQueues: JobQueueService,
    private readonly notices: NoticeSender,
  ) {}

  async enqueue(runId: string, steps: DispatchedStep[]): Promise<void> {
    for (let i = 0; i < steps.length; i += chunkSize) {
      const ids = steps.slice(i, i + chunkSize).map((step) => step.id);
      // One statement: the CTE's UPDATE and the SELECT see the same snapshot, so a step is listed once.
      const ready: DispatchedStep[] = await this.dataSource.query(
        `WITH running AS (SELECT id FROM remediation_run WHERE id = $1 AND status = 'running'),
              queued AS (
                UPDATE remediation_step s SET status = 'queued', queued_at = now(), updated_at = now()
                  FROM running r
                 WHERE s.run_id = r.id AND s.id = ANY($2::uuid[]) AND s.status = 'pending'
                RETURNING s.id, s.action)
         SELECT id, action FROM queued
         UNION ALL
         SELECT s.id, s.action FROM remediation_step s JOIN running r ON r.id = s.run_id
          WHERE s.id = ANY($2::uuid[]) AND s.status IN ('queued', 'in_flight')`,
        [runId, ids],
      );
      await this.add(runId, ready);
    }
    await this.notices.releaseDue(runId);
  }

  /** Gives steps their job without changing them (the engine sweep: steps whose job Redis lost). */
  async handBack(runId: string, steps: DispatchedStep[]): Promise<void> {
    for (let i = 0; i < steps.length; i += chunkSize) await this.add(runId, steps.slice(i, i + chunkSize));
  }

  private async add(runId: string, steps: DispatchedStep[]): Promise<void> {
    const refunds = steps.filter((step) => step.action === 'refund');
    const shipments = steps.filter((step) => step.action === 'stop_shipment');
    if (refunds.length) {
      await this.jobQueues
        .queue('payments')
        .addBulk(refunds.map((step) => ({ name: 'remediation.refund', data: { runId, stepId: step.id }, opts: { jobId: step.id } })));
    }
    if (shipments.length) {
      await this.jobQueues
        .queue('fulfilment')
        .addBulk(shipments.map((step) => ({ name: 'remediation.shipment', data: { runId, stepId: step.id }, opts: { jobId: step.id } })));
    }
  }
}
