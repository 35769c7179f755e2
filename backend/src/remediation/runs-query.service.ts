import { ConflictException, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { mayPerform } from '../auth/permission-matrix.js';
import type { Role } from '../auth/roles.js';
import { SqlFilter } from '../database/sql-filter.js';
import { isUuid } from '../http/is-uuid.js';
import type { ListResult } from '../http/list-query.js';
import { incidentReference } from '../incidents/incident-lifecycle.js';
import type { RunFigures } from './run-figures.js';
import {
  controlProblem,
  incidentNoticeTemplate,
  openStepStatusList,
  runActions,
  runReference,
  type RunAction,
  type RunControl,
  type RunStatus,
} from './run-lifecycle.js';
import { runNotFound } from './run-store.js';
import type { NoticeListQuery, RunListQuery, StepListQuery } from './runs.schemas.js';

/** Who is reading: the "awaiting my approval" filter depends on it. */
export interface RunViewer {
  id: string;
  roles: readonly Role[];
}

const runColumns = `
  r.id, r.number, r.incident_id AS "incidentId", i.number AS "incidentNumber", i.title AS "incidentTitle", r.actions, r.status, r.reason,
  r.approval_required AS "approvalRequired", r.requested_by AS "requestedBy", ru.email AS "requestedByEmail", r.requested_at AS "requestedAt",
  r.decided_by AS "decidedBy", du.email AS "decidedByEmail", r.decided_at AS "decidedAt", r.decision_reason AS "decisionReason",
  r.started_at AS "startedAt", r.finished_at AS "finishedAt", r.updated_at AS "updatedAt"`;
const runJoins = `JOIN incident i ON i.id = r.incident_id JOIN app_user ru ON ru.id = r.requested_by LEFT JOIN app_user du ON du.id = r.decided_by`;

const runSort = { requestedAt: 'r.requested_at', number: 'r.number', status: 'r.status' } as const;
const stepSort = {
  updatedAt: 's.updated_at',
  finishedAt: 's.finished_at',
  status: 's.status',
  externalId: 'o.external_id',
  amountMinor: 's.amount_minor',
} as const;
const noticeSort = {
  updatedAt: 'n.updated_at',
  createdAt: 'n.created_at',
  sentAt: 'n.sent_at',
  status: 'n.status',
  toAddress: 'n.to_address',
} as const;

/** Live progress of one action: steps (orders), notices (customers) or quarantines (devices). */
export interface ActionProgress {
  action: RunAction;
  unit: 'orders' | 'customers' | 'devices';
  total: number;
  done: number;
  failed: number;
  skipped: number;
  cancelled: number;
  inFlight: number;
  /** Not started yet (pending or queued). */
  pending: number;
  /** Finished per second over the last minute (or since the run started, when that is shorter). */
  ratePerSecond: number;
  /** Seconds until the open ones are done at that rate; null when nothing moves or the run is not running. */
  etaSeconds: number | null;
}

interface Tally {
  action: string;
  total: number;
  done: number;
  failed: number;
  skipped: number;
  cancelled: number;
  inFlight: number;
  pending: number;
  lastMinute: number;
}

const controls: RunControl[] = ['approve', 'reject', 'pause', 'resume', 'cancel', 'retry'];

/** Read side of runs: the list, one run with its live progress, its steps, its notices and its report. */
@Injectable()
export class RunsQueryService {
  constructor(private readonly dataSource: DataSource) {}

  async list(query: RunListQuery, viewer?: RunViewer): Promise<ListResult<Record<string, unknown>>> {
    const filter = new SqlFilter();
    if (query.incidentId) filter.where((p) => `r.incident_id = ANY(${p(query.incidentId)}::uuid[])`);
    if (query.status) filter.where((p) => `r.status = ANY(${p(query.status)}::text[])`);
    if (query.id) filter.where((p) => `r.id = ANY(${p(query.id)}::uuid[])`);
    if (query.awaitingMyApproval) {
      // The approval rule: an incident commander (the matrix's runs.approve) who did not request the run.
      if (!viewer || !mayPerform(viewer.roles, 'runs.approve')) filter.where(() => 'false');
      else filter.where((p) => `r.status = 'awaiting_approval' AND r.requested_by <> ${p(viewer.id)}`);
    }
    const countParams = [...filter.params];
    const limit = filter.bind(query._perPage);
    const offset = filter.bind((query._page - 1) * query._perPage);
    const [rows, [{ total }]] = await Promise.all([
      this.dataSource.query(
        `SELECT ${runColumns}, r.preview->'refund'->'totals' AS "refundTotals", st.steps
         FROM remediation_run r ${runJoins}
         LEFT JOIN LATERAL (
           SELECT json_build_object(
             'total', count(*), 'done', count(*) FILTER (WHERE s.status = 'succeeded'), 'failed', count(*) FILTER (WHERE s.status = 'failed'),
             'skipped', count(*) FILTER (WHERE s.status = 'skipped'), 'cancelled', count(*) FILTER (WHERE s.status = 'cancelled'),
             'open', count(*) FILTER (WHERE s.status IN ${openStepStatusList})) AS steps
           FROM remediation_step s WHERE s.run_id = r.id) st ON true
         ${filter.sql}
         ORDER BY ${runSort[query._sort]} ${query._order}, r.number ${query._order} LIMIT ${limit} OFFSET ${offset}`,
        filter.params,
      ),
      this.dataSource.query(`SELECT count(*) AS total FROM remediation_run r ${filter.sql}`, countParams),
    ]);
    return { data: rows.map((row: Record<string, unknown>) => this.decorate(row)), total };
  }

  /** One run: its preview, the plan, live progress per action, what may be done to it now, and the report once finished. */
  async get(id: string) {
    if (!isUuid(id)) throw runNotFound(id);
    const [row] = await this.dataSource.query(
      `SELECT ${runColumns}, r.preview, r.plan, r.report, extract(epoch FROM now() - r.started_at) AS "runningSeconds"
       FROM remediation_run r ${runJoins} WHERE r.id = $1`,
      [id],
    );
    if (!row) throw runNotFound(id);
    const { runningSeconds, ...run } = row;
    return { ...this.decorate(run), progress: await this.progress(run, runningSeconds === null ? null : Number(runningSeconds)) };
  }

  async steps(id: string, query: StepListQuery): Promise<ListResult<Record<string, unknown>>> {
    await this.assertExists(id);
    const filter = new SqlFilter().where((p) => `s.run_id = ${p(id)}`);
    if (query.action) filter.where((p) => `s.action = ANY(${p(query.action)}::text[])`);
    if (query.status) filter.where((p) => `s.status = ANY(${p(query.status)}::text[])`);
    if (query.orderId) filter.where((p) => `s.order_id = ${p(query.orderId)}`);
    const countParams = [...filter.params];
    const limit = filter.bind(query._perPage);
    const offset = filter.bind((query._page - 1) * query._perPage);
    const [data, [{ total }]] = await Promise.all([
      this.dataSource.query(
        `SELECT s.id, s.run_id AS "runId", s.order_id AS "orderId", o.external_id AS "externalId", o.customer_id AS "customerId",
                o.fulfilment_state AS "fulfilmentState", s.action, s.operation, s.status, s.amount_minor AS "amountMinor", s.currency,
                s.attempts, s.idempotency_key AS "idempotencyKey", s.provider_ref AS "providerRef", s.outcome,
                s.error_code AS "errorCode", s.error_message AS "errorMessage", s.queued_at AS "queuedAt", s.started_at AS "startedAt",
                s.finished_at AS "finishedAt", s.updated_at AS "updatedAt"
         FROM remediation_step s JOIN orders o ON o.id = s.order_id
         ${filter.sql}
         ORDER BY ${stepSort[query._sort]} ${query._order} NULLS LAST, s.id ${query._order} LIMIT ${limit} OFFSET ${offset}`,
        filter.params,
      ),
      this.dataSource.query(`SELECT count(*) AS total FROM remediation_step s ${filter.sql}`, countParams),
    ]);
    return { data, total };
  }

  /**
   * The run's outbox: one notice per customer (`incident_notice`), and any follow-up (`refund_failed`),
   * with its status, recipient, subject, when it was sent and the last error.
   */
  async notices(id: string, query: NoticeListQuery): Promise<ListResult<Record<string, unknown>>> {
    await this.assertExists(id);
    const filter = new SqlFilter().where((p) => `n.run_id = ${p(id)}`);
    if (query.status) filter.where((p) => `n.status = ANY(${p(query.status)}::text[])`);
    if (query.template) filter.where((p) => `n.template = ANY(${p(query.template)}::text[])`);
    if (query.customerId) filter.where((p) => `n.customer_id = ${p(query.customerId)}`);
    const countParams = [...filter.params];
    const limit = filter.bind(query._perPage);
    const offset = filter.bind((query._page - 1) * query._perPage);
    const [data, [{ total }]] = await Promise.all([
      this.dataSource.query(
        `SELECT n.id, n.run_id AS "runId", n.incident_id AS "incidentId", n.customer_id AS "customerId", c.name AS "customerName",
                n.template, n.status, coalesce(n.to_address, c.email) AS "toAddress", n.subject, n.message_id AS "messageId",
                n.attempts, n.error_message AS "errorMessage", n.sent_at AS "sentAt", n.created_at AS "createdAt", n.updated_at AS "updatedAt"
         FROM notification_outbox n JOIN customer c ON c.id = n.customer_id
         ${filter.sql}
         ORDER BY ${noticeSort[query._sort]} ${query._order} NULLS LAST, n.id ${query._order} LIMIT ${limit} OFFSET ${offset}`,
        filter.params,
      ),
      this.dataSource.query(`SELECT count(*) AS total FROM notification_outbox n ${filter.sql}`, countParams),
    ]);
    return { data, total };
  }

  /** The report is written when the run finishes; before that, 409 saying so. */
  async report(id: string) {
    if (!isUuid(id)) throw runNotFound(id);
    const [row] = await this.dataSource.query(`SELECT number, status, report FROM remediation_run WHERE id = $1`, [id]);
    if (!row) throw runNotFound(id);
    if (!row.report) {
      throw new ConflictException(
        `${runReference(row.number)} is ${String(row.status).replaceAll('_', ' ')}; its report is written when it finishes (completed or cancelled)`,
      );
    }
    return { id, reference: runReference(row.number), status: row.status, ...row.report };
  }

  private async assertExists(id: string) {
    if (!isUuid(id)) throw runNotFound(id);
    const [row] = await this.dataSource.query(`SELECT 1 FROM remediation_run WHERE id = $1`, [id]);
    if (!row) throw runNotFound(id);
  }

  private decorate(row: Record<string, unknown>) {
    const status = row.status as RunStatus;
    const reference = runReference(row.number as number);
    return {
      ...row,
      reference,
      incidentReference: incidentReference(row.incidentNumber as number),
      allowedControls: controls.filter((control) => !controlProblem(control, reference, status)),
    };
  }

  private async progress(run: Record<string, unknown>, runningSeconds: number | null): Promise<ActionProgress[]> {
    const id = run.id as string;
    const actions = run.actions as RunAction[];
    const [steps, notices]: [Tally[], Tally[]] = await Promise.all([
      this.dataSource.query(
        `SELECT action, count(*) AS total, count(*) FILTER (WHERE status = 'succeeded') AS done,
                count(*) FILTER (WHERE status = 'failed') AS failed, count(*) FILTER (WHERE status = 'skipped') AS skipped,
                count(*) FILTER (WHERE status = 'cancelled') AS cancelled, count(*) FILTER (WHERE status = 'in_flight') AS "inFlight",
                count(*) FILTER (WHERE status IN ('pending', 'queued')) AS pending,
                -- Skipped at planning (never started) is not throughput.
                count(*) FILTER (WHERE status IN ('succeeded', 'failed', 'skipped') AND started_at IS NOT NULL
                                   AND finished_at > now() - interval '60 seconds') AS "lastMinute"
         FROM remediation_step WHERE run_id = $1 GROUP BY action`,
        [id],
      ),
      this.dataSource.query(
        `SELECT 'notify' AS action, count(*) AS total, count(*) FILTER (WHERE status = 'sent') AS done,
                count(*) FILTER (WHERE status = 'failed') AS failed, 0 AS skipped, count(*) FILTER (WHERE status = 'cancelled') AS cancelled,
                count(*) FILTER (WHERE status = 'sending') AS "inFlight", count(*) FILTER (WHERE status = 'pending') AS pending,
                count(*) FILTER (WHERE status = 'sent' AND sent_at > now() - interval '60 seconds') AS "lastMinute"
         FROM notification_outbox WHERE run_id = $1 AND template = $2`,
        // Customers notified: the run's one notice per customer; follow-ups are listed in its outbox.
        [id, incidentNoticeTemplate],
      ),
    ]);
    const window = runningSeconds === null ? 60 : Math.min(60, Math.max(1, runningSeconds));
    const plan = (run.plan ?? null) as RunFigures | null;
    const status = run.status as RunStatus;
    return runActions
      .filter((action) => actions.includes(action))
      .map((action): ActionProgress => {
        if (action === 'quarantine_devices') {
          // Written by planning itself, in its transaction.
          const devices = plan?.quarantine_devices?.devices ?? (run.preview as RunFigures).quarantine_devices?.devices ?? 0;
          const done = plan ? devices : 0;
          return {
            action,
            unit: 'devices',
            total: devices,
            done,
            failed: 0,
            skipped: 0,
            cancelled: 0,
            inFlight: 0,
            pending: devices - done,
            ratePerSecond: 0,
            etaSeconds: null,
          };
        }
        const tally = (action === 'notify' ? notices : steps).find((t) => t.action === action);
        const unit = action === 'notify' ? 'customers' : 'orders';
        if (!tally)
          return {
            action,
            unit,
            total: 0,
            done: 0,
            failed: 0,
            skipped: 0,
            cancelled: 0,
            inFlight: 0,
            pending: 0,
            ratePerSecond: 0,
            etaSeconds: null,
          };
        const { lastMinute, action: _, ...counts } = tally;
        const rate = lastMinute / window;
        const open = counts.pending + counts.inFlight;
        return {
          action,
          unit,
          ...counts,
          ratePerSecond: Math.round(rate * 100) / 100,
          etaSeconds: status === 'running' && rate > 0 && open > 0 ? Math.ceil(open / rate) : open === 0 ? 0 : null,
        };
      });
  }
}
