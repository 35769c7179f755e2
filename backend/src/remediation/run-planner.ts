import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { AppConfig } from '../config/app-config.js';
import { incidentReference } from '../incidents/incident-lifecycle.js';
import { recordEvent } from '../incidents/incident-store.js';
import { LOGGER } from '../observability/observability.module.js';
import { QuarantinesService } from '../quarantine/quarantines.service.js';
import { classifyRun, type RunScope } from './run-classification.js';
import { differences, figureValues, summariseRun } from './run-figures.js';
import { incidentNoticeTemplate, runReference, skipExplanations } from './run-lifecycle.js';
import { RunProgress } from './run-progress.js';
import { lockRun, remediationActor, type RunRow } from './run-store.js';
import { RUN_STEP_DISPATCHER, type DispatchedStep, type StepDispatcher } from './step-dispatcher.js';

export type PlanOutcome =
  | { status: 'planned'; steps: number; skipped: number; notices: number; quarantined: number; differences: number }
  | { status: 'redispatched'; steps: number }
  | { status: 'skipped'; reason: string };

const dispatchChunk = 5000;

/**
 * Turns a queued run into work: one transaction writes a step per (order,
 * action) — queued in its chunk, or skipped with its reason — the customers' notices and
 * the device quarantines, all from the same classification the preview used,
 * and moves the run to running. Then the steps go to the engine.
 *
 * Idempotent, so the job may run again after any crash: a run already
 * running only has its steps' jobs given again (a no-op for those that exist)
 * and its pending steps handed over again.
 */
@Injectable()
export class RunPlanner {
  private readonly messageIdDomain: string;
  private readonly interceptFeeEstimates: Readonly<Record<string, number>>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly quarantines: QuarantinesService,
    private readonly progress: RunProgress,
    @Inject(RUN_STEP_DISPATCHER) private readonly dispatcher: StepDispatcher,
    @Inject(LOGGER) private readonly logger: Logger,
    config: AppConfig,
  ) {
    // Message-IDs carry the sender's domain, as mail clients expect.
    this.messageIdDomain = /@([A-Za-z0-9.-]+)>?\s*$/.exec(config.smtpFrom ?? '')?.[1] ?? 'recovery-desk.local';
    this.interceptFeeEstimates = config.interceptFeeEstimates ?? {};
  }

  async plan(runId: string): Promise<PlanOutcome> {
    // Shown as "planning" while the big transaction works.
    const start = await this.dataSource.transaction(async (manager) => {
      const [run] = await manager.query(`SELECT status FROM remediation_run WHERE id = $1 FOR UPDATE`, [runId]);
      if (!run) return 'gone';
      if (run.status === 'queued')
        await manager.query(`UPDATE remediation_run SET status = 'planning', updated_at = now() WHERE id = $1`, [runId]);
      return run.status as string;
    });
    if (start === 'gone') return { status: 'skipped', reason: `run ${runId} does not exist` };
    if (start === 'running') {
      // Planned before, but its jobs may not have been added (a crash right after the commit): the queued steps' jobs
      // again (a no-op for those that exist), and the pending steps to the engine.
      await this.dispatcher.dispatchQueued(runId);
      return { status: 'redispatched', steps: await this.dispatchPending(runId) };
    }
    if (start !== 'queued' && start !== 'planning') return { status: 'skipped', reason: `run is ${start}` };

    const planned = await this.dataSource.transaction('REPEATABLE READ', async (manager) => {
      const run = await lockRun(manager, runId);
      // Cancelled, or planned by a twin of this job, while waiting for the lock.
      if (run.status !== 'planning') return run.status;
      return this.writePlan(manager, run);
    });
    if (typeof planned === 'string') return { status: 'skipped', reason: `run is ${planned}` };
    if (planned.quarantined) await this.quarantines.announceChanges();
    await this.dispatcher.dispatchQueued(runId);
    // A run with nothing to execute (everything skipped, quarantines only) is complete now.
    await this.progress.settle(runId);
    return planned;
  }

  private async writePlan(manager: EntityManager, run: RunRow): Promise<Extract<PlanOutcome, { status: 'planned' }>> {
    const scope: RunScope = { incidentId: run.incidentId, actions: run.actions, confirmedBy: run.requestedAt };
    await classifyRun(manager, scope);
    const plan = await summariseRun(manager, scope, { interceptFeeEstimates: this.interceptFeeEstimates });
    const reasons = Object.entries(skipExplanations);

    // Steps to run are handed to the engine here, `queued` in their chunk (the dispatcher's planChunks), so no row is
    // written twice; the jobs follow the commit. Ids are made per row in a subquery (a volatile target list is never
    // flattened), so each step's key is its own.
    const chunks = this.dispatcher.planChunks(run.id);
    const [{ queued, skipped }] = await manager.query(
      `WITH written AS (
         INSERT INTO remediation_step (id, run_id, order_id, action, operation, status, idempotency_key, amount_minor, currency,
                                       error_code, error_message, finished_at, job_id, queued_at)
         SELECT p.id, $1, p.order_id, p.action, p.operation,
                CASE WHEN p.skip_reason IS NULL THEN 'queued' ELSE 'skipped' END,
                'rd_' || p.id || '_' || coalesce(p.operation, 'skipped'),
                CASE WHEN p.action = 'refund' THEN p.amount_minor END, p.currency,
                p.skip_reason, (SELECT e.message FROM unnest($2::text[], $3::text[]) AS e(reason, message) WHERE e.reason = p.skip_reason),
                CASE WHEN p.skip_reason IS NOT NULL THEN now() END,
                CASE WHEN p.skip_reason IS NULL THEN
                  CASE p.action WHEN 'refund' THEN $4 || ((p.rank - 1) / $5::int) ELSE $6 || ((p.rank - 1) / $7::int) END END,
                CASE WHEN p.skip_reason IS NULL THEN now() END
         FROM (SELECT gen_random_uuid() AS id, sp.*,
                      row_number() OVER (PARTITION BY sp.action, sp.skip_reason IS NULL ORDER BY sp.order_id) AS rank
                 FROM rd_step_plan sp WHERE sp.skip_reason IS DISTINCT FROM 'excluded') p
         RETURNING status
       )
       SELECT count(*) FILTER (WHERE status = 'queued') AS queued, count(*) FILTER (WHERE status = 'skipped') AS skipped FROM written`,
      [
        run.id,
        reasons.map(([reason]) => reason),
        reasons.map(([, message]) => message),
        chunks.refund.jobPrefix,
        chunks.refund.size,
        chunks.stop_shipment.jobPrefix,
        chunks.stop_shipment.size,
      ],
    );
    const toRun = Number(queued);

    // A cancelled notice of an earlier run is taken over (never sent, so its Message-ID is still unused).
    let notices = 0;
    if (run.actions.includes('notify')) {
      [{ notices }] = await manager.query(
        `WITH written AS (
           INSERT INTO notification_outbox (incident_id, customer_id, template, run_id, to_address, message_id)
           SELECT $1, n.customer_id, $2, $3, n.email, '<' || gen_random_uuid() || '@' || $4 || '>'
           FROM rd_notice_plan n WHERE n.skip_reason IS NULL
           ON CONFLICT (incident_id, customer_id, template) DO UPDATE
             SET run_id = EXCLUDED.run_id, status = 'pending', to_address = EXCLUDED.to_address, attempts = 0,
                 error_message = NULL, sent_at = NULL, updated_at = now()
             WHERE notification_outbox.status = 'cancelled'
           RETURNING 1
         )
         SELECT count(*) AS notices FROM written`,
        [run.incidentId, incidentNoticeTemplate, run.id, this.messageIdDomain],
      );
    }

    let quarantined = 0;
    if (run.actions.includes('quarantine_devices')) {
      const [{ ids }] = await manager.query(
        `SELECT coalesce(array_agg(device_id ORDER BY device_id), '{}') AS ids FROM rd_device_plan WHERE skip_reason IS NULL`,
      );
      ({ quarantined } = await this.quarantines.quarantineDevices(
        manager,
        {
          deviceIds: ids,
          reason: `Remediation ${runReference(run.number)} of ${incidentReference(run.incidentNumber)}: ${run.reason}`,
          incidentId: run.incidentId,
          createdBy: run.requestedBy,
        },
        remediationActor,
      ));
    }

    await manager.query(`UPDATE remediation_run SET status = 'running', started_at = now(), plan = $2, updated_at = now() WHERE id = $1`, [
      run.id,
      plan,
    ]);

    // Orders may have changed since the preview (a refund elsewhere, a dispute, an exclusion): said now, and in the report.
    const changed = differences(figureValues(run.preview), figureValues(plan));
    const reference = runReference(run.number);
    await recordEvent(
      manager,
      run.incidentId,
      'remediation',
      remediationActor,
      `${reference} planned: ${toRun} steps to run, ${skipped} skipped` +
        (run.actions.includes('notify') ? `; ${notices} customer notices` : '') +
        (run.actions.includes('quarantine_devices') ? `; ${quarantined} devices quarantined` : '') +
        (changed.length
          ? `; differs from its preview in ${changed.length} figure${changed.length === 1 ? '' : 's'}`
          : '; matches its preview'),
      { runId: run.id, event: 'planned', steps: toRun, skipped, notices, quarantined, differences: changed },
    );
    await this.audit.record(
      manager,
      {
        action: 'runs.plan',
        targetType: 'remediation_run',
        targetId: run.id,
        summary: { number: run.number, incidentId: run.incidentId, steps: toRun, skipped, notices, quarantined, differences: changed },
      },
      remediationActor,
    );
    this.logger.info({ runId: run.id, steps: toRun, skipped, notices, quarantined }, 'remediation run planned');
    return { status: 'planned', steps: toRun, skipped, notices, quarantined, differences: changed.length };
  }

  /** Hands every pending step of a running run to the engine, in chunks. Returns how many. */
  async dispatchPending(runId: string): Promise<number> {
    let after = '00000000-0000-0000-0000-000000000000';
    let total = 0;
    for (;;) {
      const steps: DispatchedStep[] = await this.dataSource.query(
        `SELECT s.id, s.action FROM remediation_step s JOIN remediation_run r ON r.id = s.run_id
         WHERE s.run_id = $1 AND s.status = 'pending' AND r.status = 'running' AND s.id > $2 ORDER BY s.id LIMIT ${dispatchChunk}`,
        [runId, after],
      );
      if (!steps.length) {
        // A run with no steps to hand over (notify only) still owes its notices: an empty hand-over releases them.
        if (total === 0) await this.dispatcher.enqueue(runId, []);
        return total;
      }
      await this.dispatcher.enqueue(runId, steps);
      total += steps.length;
      after = steps[steps.length - 1]!.id;
    }
  }
}
