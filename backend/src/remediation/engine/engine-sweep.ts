import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { StepAction } from '../run-lifecycle.js';
import { NoticeSender } from './notice-sender.js';
import { QueueStepDispatcher } from './queue-step-dispatcher.js';

/**
 * A row untouched this long while waiting for its chunk job may have lost it. A job still waiting
 * (a long queue, a provider's slow budget) touches nothing, so this only re-adds the job the row
 * names: a no-op while that job exists.
 */
const stale = `interval '2 minutes'`;

/**
 * Redis carries only work that can be rebuilt from PostgreSQL. Every few
 * seconds: steps still `queued` or `in_flight` (of a running run, or in flight
 * in a cancelling one) and notices still to send that have not moved for a
 * while get their chunk job again, and every notice that is due and has no job
 * is released (runs with no steps at all, a release lost to a crash, a
 * follow-up whose hand-over was lost).
 */
@Injectable()
export class EngineSweep {
  constructor(
    private readonly dataSource: DataSource,
    private readonly dispatcher: QueueStepDispatcher,
    private readonly notices: NoticeSender,
  ) {}

  async sweep(): Promise<{ stepsHandedBack: number; noticesHandedBack: number; noticesReleased: number }> {
    const stuck: { runId: string; ids: string[]; actions: StepAction[]; jobIds: (string | null)[] }[] = await this.dataSource.query(
      `SELECT s.run_id AS "runId", array_agg(s.id::text) AS ids, array_agg(s.action) AS actions, array_agg(s.job_id) AS "jobIds"
         FROM remediation_step s JOIN remediation_run r ON r.id = s.run_id
        WHERE s.status IN ('queued', 'in_flight') AND s.updated_at < now() - ${stale}
          AND (r.status = 'running' OR (r.status = 'cancelling' AND s.status = 'in_flight'))
        GROUP BY s.run_id`,
    );
    let stepsHandedBack = 0;
    for (const run of stuck) {
      await this.dispatcher.handBack(
        run.runId,
        run.ids.map((id, i) => ({ id, action: run.actions[i]!, jobId: run.jobIds[i] ?? null })),
      );
      stepsHandedBack += run.ids.length;
    }
    const waiting: { id: string; jobId: string }[] = await this.dataSource.query(
      `SELECT n.id, n.job_id AS "jobId" FROM notification_outbox n JOIN remediation_run r ON r.id = n.run_id
        WHERE n.status IN ('pending', 'sending') AND n.job_id IS NOT NULL AND n.updated_at < now() - ${stale} AND r.status <> 'paused'`,
    );
    await this.notices.addJobs(waiting);
    const withNotices: { runId: string }[] = await this.dataSource.query(
      `SELECT DISTINCT n.run_id AS "runId" FROM notification_outbox n WHERE n.status IN ('pending', 'sending') AND n.job_id IS NULL`,
    );
    let noticesReleased = 0;
    for (const run of withNotices) noticesReleased += await this.notices.releaseDue(run.runId);
    return { stepsHandedBack, noticesHandedBack: waiting.length, noticesReleased };
  }
}
