import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { JobData, JobOutcome } from '../jobs/job-catalogue.js';
import { JobHandler } from '../jobs/job-handler.decorator.js';
import { RunPlanner } from './run-planner.js';
import { RunProgress } from './run-progress.js';
import { RunQueue } from './run-queue.js';

/** Work is given up on only after this long without a change; younger work is still on its way. */
const stale = `interval '1 minute'`;

@Injectable()
export class RemediationJobs {
  constructor(
    private readonly dataSource: DataSource,
    private readonly planner: RunPlanner,
    private readonly progress: RunProgress,
    private readonly runQueue: RunQueue,
  ) {}

  @JobHandler('remediation.plan')
  async plan(data: JobData<'remediation.plan'>): Promise<JobOutcome> {
    const outcome = await this.planner.plan(data.runId);
    if (outcome.status === 'skipped') return { status: 'skipped', reason: outcome.reason };
    return { status: 'success', detail: { runId: data.runId, ...outcome } };
  }

  /**
   * The truth is in PostgreSQL; Redis only carries work that can be rebuilt
   * from it. Every minute: runs still queued get their planning job again (a
   * lost enqueue, attempts run out), pending steps of running runs go to the
   * engine again (a crash between planning's commit and the hand-over), and
   * runs with nothing left open are finished (a lost `stepFinished` call).
   */
  @JobHandler('remediation.sweep')
  async sweep(_data: JobData<'remediation.sweep'>): Promise<JobOutcome> {
    const unplanned: { id: string }[] = await this.dataSource.query(
      `SELECT id FROM remediation_run WHERE status IN ('queued', 'planning') AND updated_at < now() - ${stale}`,
    );
    for (const run of unplanned) await this.runQueue.enqueuePlan(run.id);

    const undispatched: { id: string }[] = await this.dataSource.query(
      `SELECT r.id FROM remediation_run r WHERE r.status = 'running'
         AND EXISTS (SELECT 1 FROM remediation_step s WHERE s.run_id = r.id AND s.status = 'pending' AND s.updated_at < now() - ${stale})`,
    );
    let dispatched = 0;
    for (const run of undispatched) dispatched += await this.planner.dispatchPending(run.id);

    const open: { id: string }[] = await this.dataSource.query(
      `SELECT id FROM remediation_run WHERE status IN ('running', 'cancelling') AND updated_at < now() - ${stale}`,
    );
    let finished = 0;
    for (const run of open) if (await this.progress.settle(run.id)) finished += 1;

    return { status: 'success', detail: { planningEnqueued: unplanned.length, stepsDispatched: dispatched, runsFinished: finished } };
  }
}
