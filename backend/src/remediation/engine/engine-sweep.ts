import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { NoticeSender } from './notice-sender.js';
import { QueueStepDispatcher } from './queue-step-dispatcher.js';

/** A step untouched this long while queued or in flight may have lost its job (a job waiting on the limiter is touched by nothing, so this only re-adds: a no-op while its job exists). */
const stale = `interval '2 minutes'`;

/**
 * Redis carries only work that can be rebuilt from PostgreSQL. Every few
 * seconds: steps still `queued` or `in_flight` (of a running run, or in flight
 * in a cancelling one) that have not moved for a while get their job again —
 * job id = step id, so a job still in Redis makes this a no-op — and every
 * notice that is due is released (runs with no steps at all, a release lost
 * to a crash, a follow-up whose job was lost).
 */
@Injectable()
export class EngineSweep {
  constructor(
    private readonly dataSource: DataSource,
    private readonly dispatcher: QueueStepDispatcher,
    private readonly notices: NoticeSender,
  ) {}

  async sweep(): Promise<{ stepsHandedBack: number; noticesReleased: number }> {
    const stuck: { runId: string; ids: string[]; actions: ('refund' | 'stop_shipment')[] }[] = await this.dataSource.query(
      `SELECT s.run_id AS "runId", array_agg(s.id::text) AS ids, array_agg(s.action) AS actions
         FROM remediation_step s JOIN remediation_run r ON r.id = s.run_id
        WHERE s.status IN ('queued', 'in_flight') AND s.updated_at < now() - ${stale}
          AND (r.status = 'running' OR (r.status = 'cancelling' AND s.status = 'in_flight'))
        GROUP BY s.run_id`,
    );
    let stepsHandedBack = 0;
    for (const run of stuck) {
      await this.dispatcher.handBack(
        run.runId,
        run.ids.map((id, i) => ({ id, action: run.actions[i]! })),
      );
      stepsHandedBack += run.ids.length;
    }
    const withNotices: { runId: string }[] = await this.dataSource.query(
      `SELECT DISTINCT n.run_id AS "runId" FROM notification_outbox n WHERE n.status IN ('pending', 'sending')`,
    );
    let noticesReleased = 0;
    for (const run of withNotices) noticesReleased += await this.notices.releaseDue(run.runId);
    return { stepsHandedBack, noticesReleased };
  }
}
