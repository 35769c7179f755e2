import { BadRequestException, ConflictException, Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { AppConfig } from '../config/app-config.js';
import { incidentReference, type IncidentStatus } from '../incidents/incident-lifecycle.js';
import { lockIncident, notFound, recordEvent, type IncidentActor, type IncidentRow } from '../incidents/incident-store.js';
import { isUuid } from '../http/is-uuid.js';
import { formatMoney } from '../money/money.js';
import { LOGGER } from '../observability/observability.module.js';
import { classifyRun } from './run-classification.js';
import { assessApproval, hasWork, summariseRun, type ApprovalAssessment, type RunFigures } from './run-figures.js';
import { controlProblem, incidentStatesForRuns, runReference, type RunAction, type RunControl } from './run-lifecycle.js';
import { RunPlanner } from './run-planner.js';
import { RunProgress } from './run-progress.js';
import { RunQueue } from './run-queue.js';
import { buildReport, executedFigures } from './run-report.js';
import { lockRun, runTransaction, type RunRow } from './run-store.js';
import { RunsQueryService } from './runs-query.service.js';
import type { RequestRunInput, RetryRunInput } from './runs.schemas.js';

/** The dry-run preview: the run's figures, whether it needs approval, and what stops it being requested now. */
export interface RunPreview extends RunFigures {
  incidentId: string;
  computedAt: string;
  approval: ApprovalAssessment;
  /** Why a run cannot be requested now; empty when it can. */
  blockers: string[];
}

const stateHints: Partial<Record<IncidentStatus, string>> = {
  declared: 'move it to triage first',
  monitoring: 'move it back to remediating first if it flared up',
  resolved: 'it is resolved',
  closed: 'it is closed',
};

/**
 * Requests and controls of remediation runs. Every change writes its audit
 * row and its incident timeline event (kind `remediation`) in the same
 * transaction; work for the workers is enqueued after the commit.
 */
@Injectable()
export class RunsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
    private readonly query: RunsQueryService,
    private readonly planner: RunPlanner,
    private readonly progress: RunProgress,
    private readonly runQueue: RunQueue,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Figures only: nothing is written (the classification's temporary tables go with the transaction). */
  async preview(incidentId: string, actions: RunAction[]): Promise<RunPreview> {
    return runTransaction(
      this.dataSource,
      async (manager) => this.computePreview(manager, await readIncident(manager, incidentId), actions),
      'REPEATABLE READ',
    );
  }

  async request(incidentId: string, input: RequestRunInput, actor: IncidentActor) {
    const run = await runTransaction(
      this.dataSource,
      async (manager) => {
        const incident = await lockIncident(manager, incidentId);
        const preview = await this.computePreview(manager, incident, input.actions);
        if (preview.blockers.length) throw new ConflictException(`${preview.blockers.join('; ')}; nothing was changed`);
        const status = preview.approval.required ? 'awaiting_approval' : 'queued';
        const [run] = await manager.query(
          `INSERT INTO remediation_run (incident_id, actions, status, reason, preview, approval_required, requested_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id, number`,
          [incidentId, input.actions, status, input.reason, preview, preview.approval.required, actor.id],
        );
        const reference = runReference(run.number);
        const incidentRef = incidentReference(incident.number);
        if (incident.status === 'triage') {
          await manager.query(`UPDATE incident SET status = 'remediating', updated_at = now() WHERE id = $1`, [incidentId]);
          await recordEvent(manager, incidentId, 'status_changed', actor, `triage → remediating: ${reference} requested`, {
            from: 'triage',
            to: 'remediating',
            reason: `${reference} requested`,
          });
          await this.audit.record(manager, {
            action: 'incidents.transition',
            targetType: 'incident',
            targetId: incidentId,
            reason: input.reason,
            summary: { number: incident.number, from: 'triage', to: 'remediating', runId: run.id },
          });
        }
        const approval = preview.approval.required
          ? `waits for an incident commander's approval (refunds above the threshold: ${preview.approval.over.map(formatMoney).join(', ')})`
          : 'queued';
        await recordEvent(
          manager,
          incidentId,
          'remediation',
          actor,
          `Requested ${reference}: ${describeWork(preview)}; ${approval}. Reason: ${input.reason}`,
          { runId: run.id, event: 'requested', actions: input.actions, status, reason: input.reason },
        );
        await this.audit.record(manager, {
          action: 'runs.create',
          targetType: 'remediation_run',
          targetId: run.id,
          reason: input.reason,
          summary: {
            number: run.number,
            incident: incidentRef,
            incidentId,
            actions: input.actions,
            status,
            refundTotals: preview.refund?.totals ?? [],
            approvalRequired: preview.approval.required,
          },
        });
        return { id: run.id as string, status };
      },
      'REPEATABLE READ',
    );
    if (run.status === 'queued') await this.enqueuePlan(run.id);
    return this.query.get(run.id);
  }

  async approve(id: string, reason: string, actor: IncidentActor) {
    await this.decide(id, 'approve', reason, actor);
    await this.enqueuePlan(id);
    return this.query.get(id);
  }

  async reject(id: string, reason: string, actor: IncidentActor) {
    await this.decide(id, 'reject', reason, actor);
    return this.query.get(id);
  }

  /** Nothing new starts: queued steps go back to pending; steps in flight finish. */
  async pause(id: string, reason: string, actor: IncidentActor) {
    await runTransaction(this.dataSource, async (manager) => {
      const run = await this.lockFor(manager, id, 'pause');
      await manager.query(`UPDATE remediation_run SET status = 'paused', updated_at = now() WHERE id = $1`, [id]);
      const [, requeued] = await manager.query(
        `UPDATE remediation_step SET status = 'pending', updated_at = now() WHERE run_id = $1 AND status = 'queued'`,
        [id],
      );
      await this.record(manager, run, actor, 'pause', reason, `Paused ${runReference(run.number)}`, { stepsHeld: requeued });
    });
    return this.query.get(id);
  }

  async resume(id: string, reason: string, actor: IncidentActor) {
    await runTransaction(this.dataSource, async (manager) => {
      const run = await this.lockFor(manager, id, 'resume');
      await manager.query(`UPDATE remediation_run SET status = 'running', updated_at = now() WHERE id = $1`, [id]);
      await this.record(manager, run, actor, 'resume', reason, `Resumed ${runReference(run.number)}`);
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
      const run = await this.lockFor(manager, id, 'cancel');
      const reference = runReference(run.number);
      if (run.status === 'awaiting_approval' || run.status === 'queued' || run.status === 'planning') {
        const [{ now }] = await manager.query(`SELECT now() AS now`);
        const report = buildReport('cancelled', run.preview, null, await executedFigures(manager, id, run.preview), now);
        await manager.query(
          `UPDATE remediation_run SET status = 'cancelled', finished_at = now(), report = $2, updated_at = now() WHERE id = $1`,
          [id, report],
        );
        const withdrawn = run.status === 'awaiting_approval' ? ' (request withdrawn)' : '';
        await this.record(manager, run, actor, 'cancel', reason, `Cancelled ${reference} before it started${withdrawn}`, {
          from: run.status,
        });
        return;
      }
      const [, stepsCancelled] = await manager.query(
        `UPDATE remediation_step SET status = 'cancelled', finished_at = now(), updated_at = now()
         WHERE run_id = $1 AND status IN ('pending', 'queued')`,
        [id],
      );
      const [, noticesCancelled] = await manager.query(
        `UPDATE notification_outbox n SET status = 'cancelled', updated_at = now()
         WHERE n.run_id = $1 AND n.status = 'pending'
           AND NOT EXISTS (SELECT 1 FROM remediation_step s JOIN orders o ON o.id = s.order_id
                           WHERE s.run_id = $1 AND o.customer_id = n.customer_id AND s.status IN ('succeeded', 'in_flight'))`,
        [id],
      );
      await manager.query(`UPDATE remediation_run SET status = 'cancelling', updated_at = now() WHERE id = $1`, [id]);
      await this.record(
        manager,
        run,
        actor,
        'cancel',
        reason,
        `Cancelling ${reference}: ${stepsCancelled} steps cancelled, steps in flight finish`,
        {
          from: run.status,
          stepsCancelled,
          noticesCancelled,
        },
      );
    });
    await this.progress.settle(id);
    return this.query.get(id);
  }

  /** Failed steps (all, or those named) go back to pending and to the engine; a completed run runs again. */
  async retry(id: string, input: RetryRunInput, actor: IncidentActor) {
    const reopened = await runTransaction(this.dataSource, async (manager) => {
      const run = await this.lockFor(manager, id, 'retry');
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
      if (run.status === 'completed') {
        await manager.query(
          `UPDATE remediation_run SET status = 'running', finished_at = NULL, report = NULL, updated_at = now() WHERE id = $1`,
          [id],
        );
      }
      const suffix =
        run.status === 'paused' ? ' (they start when the run is resumed)' : run.status === 'completed' ? '; the run runs again' : '';
      await this.record(
        manager,
        run,
        actor,
        'retry',
        input.reason,
        `Retrying ${ids.length} failed step${ids.length === 1 ? '' : 's'} of ${reference}${suffix}`,
        {
          steps: ids.length,
          stepIds: ids.slice(0, 100),
        },
      );
      return run.status !== 'paused';
    });
    if (reopened) await this.planner.dispatchPending(id);
    return this.query.get(id);
  }

  private async decide(id: string, decision: 'approve' | 'reject', reason: string, actor: IncidentActor) {
    await runTransaction(this.dataSource, async (manager) => {
      const run = await this.lockFor(manager, id, decision);
      const reference = runReference(run.number);
      if (run.requestedBy === actor.id) {
        throw new ConflictException(
          decision === 'approve'
            ? 'You requested this run; another incident commander must approve it'
            : 'You requested this run; another incident commander must decide on it (cancel it to withdraw the request)',
        );
      }
      if (decision === 'approve') {
        const [incident] = await manager.query(`SELECT number, status FROM incident WHERE id = $1`, [run.incidentId]);
        if (incident.status === 'resolved' || incident.status === 'closed') {
          throw new ConflictException(
            `${incidentReference(incident.number)} is ${incident.status}; ${reference} can no longer be approved (reject it)`,
          );
        }
      }
      const status = decision === 'approve' ? 'queued' : 'rejected';
      await manager.query(
        `UPDATE remediation_run SET status = $2, decided_by = $3, decided_at = now(), decision_reason = $4,
                finished_at = CASE WHEN $2 = 'rejected' THEN now() END, updated_at = now()
         WHERE id = $1`,
        [id, status, actor.id, reason],
      );
      const verb = decision === 'approve' ? 'Approved' : 'Rejected';
      await this.record(manager, run, actor, decision, reason, `${verb} ${reference}`, { requestedBy: run.requestedBy });
    });
  }

  private async lockFor(manager: EntityManager, id: string, control: RunControl): Promise<RunRow> {
    const run = await lockRun(manager, id);
    const problem = controlProblem(control, runReference(run.number), run.status);
    if (problem) throw new ConflictException(`${problem}; nothing was changed`);
    return run;
  }

  /** The timeline event and the audit row of a control, in its transaction. */
  private async record(
    manager: EntityManager,
    run: RunRow,
    actor: IncidentActor,
    control: RunControl,
    reason: string,
    message: string,
    data: Record<string, unknown> = {},
  ) {
    await recordEvent(manager, run.incidentId, 'remediation', actor, `${message}: ${reason}`, {
      runId: run.id,
      event: control,
      reason,
      ...data,
    });
    await this.audit.record(manager, {
      action: `runs.${control}`,
      targetType: 'remediation_run',
      targetId: run.id,
      reason,
      summary: { number: run.number, incidentId: run.incidentId, from: run.status, ...data },
    });
  }

  private async computePreview(manager: EntityManager, incident: IncidentRow, actions: RunAction[]): Promise<RunPreview> {
    const scope = { incidentId: incident.id, actions, confirmedBy: null };
    await classifyRun(manager, scope);
    const figures = await summariseRun(manager, scope);
    const [{ now }] = await manager.query(`SELECT now() AS now`);
    return {
      incidentId: incident.id,
      computedAt: (now as Date).toISOString(),
      ...figures,
      approval: assessApproval(figures, this.config.refundApprovalThresholds),
      blockers: blockers(incident, figures),
    };
  }

  /** After the commit. If Redis is unreachable the run stays queued and the sweep enqueues it within a minute. */
  private async enqueuePlan(runId: string) {
    try {
      await this.runQueue.enqueuePlan(runId);
    } catch (error) {
      this.logger.warn({ runId, err: error }, 'remediation planning not enqueued; the sweep will enqueue it');
    }
  }
}

/** The incident as a preview reads it: no lock, a preview changes nothing. */
async function readIncident(manager: EntityManager, id: string): Promise<IncidentRow> {
  if (!isUuid(id)) throw notFound(id);
  const [row] = await manager.query(
    `SELECT id, number, title, severity, status, commander_id AS "commanderId", summary FROM incident WHERE id = $1`,
    [id],
  );
  if (!row) throw notFound(id);
  return row;
}

function blockers(incident: IncidentRow, figures: RunFigures): string[] {
  const reference = incidentReference(incident.number);
  const found: string[] = [];
  if (!(incidentStatesForRuns as readonly string[]).includes(incident.status)) {
    const hint = stateHints[incident.status];
    found.push(`${reference} is ${incident.status}; runs can be requested in triage or remediating${hint ? ` (${hint})` : ''}`);
  }
  if (figures.orders.confirmed === 0) {
    const suspected = figures.orders.suspected ? ` (${figures.orders.suspected} are still suspected)` : '';
    found.push(`${reference} has no confirmed orders${suspected}: confirm the orders to act on first`);
  } else if (!hasWork(figures)) {
    found.push(`Nothing to do: for the chosen actions every confirmed order, customer and device is skipped`);
  }
  return found;
}

/** "stop 12 shipments, refund 10 orders (USD 839.60), notify 5 customers, quarantine 3 devices". */
function describeWork(figures: RunFigures): string {
  const parts: string[] = [];
  if (figures.stop_shipment) parts.push(`stop ${figures.stop_shipment.orders} shipments`);
  if (figures.refund) {
    const totals = figures.refund.totals.map(formatMoney).join(', ');
    parts.push(`refund ${figures.refund.orders} orders${totals ? ` (${totals})` : ''}`);
  }
  if (figures.notify) parts.push(`notify ${figures.notify.customers} customers`);
  if (figures.quarantine_devices) parts.push(`quarantine ${figures.quarantine_devices.devices} devices`);
  return parts.join(', ');
}
