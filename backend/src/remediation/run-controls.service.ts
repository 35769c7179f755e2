import { BadRequestException, ConflictException, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { IncidentActor } from '../incidents/incident-store.js';
import { lockForControl, recordControl, reopenForRetry } from './run-control-record.js';
import { runReference } from './run-lifecycle.js';
import { RunPlanner } from './run-planner.js';
import { RunProgress } from './run-progress.js';
import { buildReport, executedFigures } from './run-report.js';
import { runTransaction } from './run-store.js';
import { RunsQueryService } from './runs-query.service.js';
import type { RetryRunInput } from './runs.schemas.js';

/**
 * Controls of a run once it is requested: pause, resume, cancel and retry of
 * failed steps (which applies in which state: run-lifecycle.ts). Each runs
 * READ COMMITTED, so its step updates skip past steps the engine claims at
 * the same moment, and writes its audit row and timeline event in its
 * transaction; work is handed to the engine after the commit.
 */
@Injectable()
export class RunControlsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly query: RunsQueryService,
    private readonly planner: RunPlanner,
    private readonly progress: RunProgress,
  ) {}

  /** Nothing new starts: queued steps go back to pending; steps in flight finish. */
  async pause(id: string, reason: string, actor: IncidentActor) {
    await runTransaction(this.dataSource, async (manager) => {
      const run = await lockForControl(manager, id, 'pause');
      await manager.query(`UPDATE remediation_run SET status = 'paused', updated_at = now() WHERE id = $1`, [id]);
      const [, requeued] = await manager.query(
        // Locked in id order, as the engine claims a chunk's steps, so the two never deadlock.
        `UPDATE remediation_step s SET status = 'pending', updated_at = now()
           FROM (SELECT id FROM remediation_step WHERE run_id = $1 AND status = 'queued' ORDER BY id FOR UPDATE) locked
          WHERE s.id = locked.id`,
        [id],
      );
      await recordControl(manager, this.audit, run, actor, 'pause', reason, `Paused ${runReference(run.number)}`, { stepsHeld: requeued });
    });
    return this.query.get(id);
  }

  async resume(id: string, reason: string, actor: IncidentActor) {
    await runTransaction(this.dataSource, async (manager) => {
      const run = await lockForControl(manager, id, 'resume');
      await manager.query(`UPDATE remediation_run SET status = 'running', updated_at = now() WHERE id = $1`, [id]);
      await recordControl(manager, this.audit, run, actor, 'resume', reason, `Resumed ${runReference(run.number)}`);
    });
    await this.planner.dispatchPending(id);
    // Everything may have finished while it was paused.
    await this.progress.settle(id);
    return this.query.get(id);
  }

  /**
   * Before planning nothing was written: cancelled at once. After: pending and
   * queued steps are cancelled (freeing their orders for a later run), steps in
   * flight finish, then the run is cancelled with its report. A customer with
   * nothing done or in flight for them gets no notice.
   */
  async cancel(id: string, reason: string, actor: IncidentActor) {
    await runTransaction(this.dataSource, async (manager) => {
      const run = await lockForControl(manager, id, 'cancel');
      const reference = runReference(run.number);
      if (run.status === 'awaiting_approval' || run.status === 'queued' || run.status === 'planning') {
        const [{ now }] = await manager.query(`SELECT now() AS now`);
        const report = buildReport('cancelled', run.preview, null, await executedFigures(manager, id, run.preview), now);
        await manager.query(
          `UPDATE remediation_run SET status = 'cancelled', finished_at = now(), report = $2, updated_at = now() WHERE id = $1`,
          [id, report],
        );
        const withdrawn = run.status === 'awaiting_approval' ? ' (request withdrawn)' : '';
        await recordControl(manager, this.audit, run, actor, 'cancel', reason, `Cancelled ${reference} before it started${withdrawn}`, {
          from: run.status,
        });
        return;
      }
      const [, stepsCancelled] = await manager.query(
        `UPDATE remediation_step s SET status = 'cancelled', finished_at = now(), updated_at = now()
           FROM (SELECT id FROM remediation_step WHERE run_id = $1 AND status IN ('pending', 'queued') ORDER BY id FOR UPDATE) locked
          WHERE s.id = locked.id`,
        [id],
      );
      const [, noticesCancelled] = await manager.query(
        `UPDATE notification_outbox n SET status = 'cancelled', updated_at = now()
           FROM (SELECT id FROM notification_outbox WHERE run_id = $1 AND status = 'pending' ORDER BY id FOR UPDATE) locked
          WHERE n.id = locked.id
            AND NOT EXISTS (SELECT 1 FROM remediation_step s JOIN orders o ON o.id = s.order_id
                            WHERE s.run_id = $1 AND o.customer_id = n.customer_id AND s.status IN ('succeeded', 'in_flight'))`,
        [id],
      );
      await manager.query(`UPDATE remediation_run SET status = 'cancelling', updated_at = now() WHERE id = $1`, [id]);
      await recordControl(
        manager,
        this.audit,
        run,
        actor,
        'cancel',
        reason,
        `Cancelling ${reference}: ${stepsCancelled} steps cancelled, steps in flight finish`,
        { from: run.status, stepsCancelled, noticesCancelled },
      );
    });
    await this.progress.settle(id);
    return this.query.get(id);
  }

  /** Failed steps (all, or those named) go back to pending and to the engine; a completed run runs again. */
  async retry(id: string, input: RetryRunInput, actor: IncidentActor) {
    const reopened = await runTransaction(this.dataSource, async (manager) => {
      const run = await lockForControl(manager, id, 'retry');
      const reference = runReference(run.number);
      let ids: string[];
      if (input.stepIds) {
        const found: { id: string; status: string }[] = await manager.query(
          `SELECT id, status FROM remediation_step WHERE run_id = $1 AND id = ANY($2::uuid[]) ORDER BY id`,
          [id, input.stepIds],
        );
        const missing = input.stepIds.filter((stepId) => !found.some((step) => step.id === stepId));
        if (missing.length) {
          throw new BadRequestException({
            message: `These steps are not steps of ${reference}: ${missing.slice(0, 20).join(', ')}`,
            fields: [{ field: 'stepIds', message: `names steps that are not in ${reference} (${missing.slice(0, 20).join(', ')})` }],
          });
        }
        const notFailed = found.filter((step) => step.status !== 'failed');
        if (notFailed.length) {
          const listed = notFailed.slice(0, 20).map((step) => `${step.id} is ${step.status.replace('_', ' ')}`);
          throw new ConflictException(`Only failed steps can be retried: ${listed.join(', ')}; nothing was changed`);
        }
        ids = found.map((step) => step.id);
      } else {
        ids = (await manager.query(`SELECT id FROM remediation_step WHERE run_id = $1 AND status = 'failed'`, [id])).map(
          (step: { id: string }) => step.id,
        );
        if (!ids.length) throw new ConflictException(`${reference} has no failed steps to retry; nothing was changed`);
      }
      await manager.query(
        `UPDATE remediation_step SET status = 'pending', finished_at = NULL, updated_at = now()
         WHERE run_id = $1 AND id = ANY($2::uuid[]) AND status = 'failed'`,
        [id, ids],
      );
      const suffix = await reopenForRetry(manager, run, 'they start when the run is resumed');
      await recordControl(
        manager,
        this.audit,
        run,
        actor,
        'retry',
        input.reason,
        `Retrying ${ids.length} failed step${ids.length === 1 ? '' : 's'} of ${reference}${suffix}`,
        { steps: ids.length, stepIds: ids.slice(0, 100) },
      );
      return run.status !== 'paused';
    });
    if (reopened) await this.planner.dispatchPending(id);
    return this.query.get(id);
  }
}
