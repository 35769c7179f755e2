import { ConflictException, Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { AppConfig } from '../config/app-config.js';
import { incidentReference } from '../incidents/incident-lifecycle.js';
import { lockIncident, recordEvent, type IncidentActor } from '../incidents/incident-store.js';
import { formatMoney } from '../money/money.js';
import { LOGGER } from '../observability/observability.module.js';
import { lockForControl, recordControl } from './run-control-record.js';
import { runReference, type RunAction } from './run-lifecycle.js';
import { computePreview, describeWork, readIncident, type RunPreview } from './run-preview.js';
import { RunQueue } from './run-queue.js';
import { runTransaction } from './run-store.js';
import { RunsQueryService } from './runs-query.service.js';
import type { RequestRunInput } from './runs.schemas.js';

/**
 * Asking for a run and deciding on it: the dry-run preview, the request (a
 * run awaiting approval above the refund threshold, else queued), and an
 * incident commander's approval or rejection. Every change writes its audit
 * row and its incident timeline event (kind `remediation`) in the same
 * transaction; planning is enqueued after the commit.
 */
@Injectable()
export class RunRequestsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
    private readonly query: RunsQueryService,
    private readonly runQueue: RunQueue,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Figures only: nothing is written (the classification's temporary tables go with the transaction). */
  async preview(incidentId: string, actions: RunAction[]): Promise<RunPreview> {
    return runTransaction(
      this.dataSource,
      async (manager) => computePreview(manager, await readIncident(manager, incidentId), actions, this.config),
      'REPEATABLE READ',
    );
  }

  async request(incidentId: string, input: RequestRunInput, actor: IncidentActor) {
    const run = await runTransaction(
      this.dataSource,
      async (manager) => {
        const incident = await lockIncident(manager, incidentId);
        const preview = await computePreview(manager, incident, input.actions, this.config);
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

  /** The approver is never the requester (the database checks it too). */
  private async decide(id: string, decision: 'approve' | 'reject', reason: string, actor: IncidentActor) {
    await runTransaction(this.dataSource, async (manager) => {
      const run = await lockForControl(manager, id, decision);
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
      await recordControl(manager, this.audit, run, actor, decision, reason, `${verb} ${reference}`, { requestedBy: run.requestedBy });
    });
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
