import type { EntityManager } from 'typeorm';
import { formatMoney, type Money } from '../money/money.js';
import { differences, expectedInterceptFees, figureValues, type ReasonCount, type RunFigures } from './run-figures.js';
import { incidentNoticeTemplate, type StepOperation } from './run-lifecycle.js';

/** What a run did, from its steps and notices (the truth in PostgreSQL, not counters). */
export interface ExecutedFigures {
  stop_shipment?: {
    succeeded: { operation: StepOperation; count: number }[];
    skipped: ReasonCount[];
    failed: ReasonCount[];
    cancelled: number;
    /** The carrier fees actually charged for intercepts, per currency (from the steps' provider answers). */
    interceptFees?: (Money & { orders: number })[];
  };
  refund?: { succeeded: number; refunded: Money[]; skipped: ReasonCount[]; failed: ReasonCount[]; cancelled: number };
  /**
   * The customers notified: the run's `incident_notice` rows only. A follow-up (`refund_failed`, written
   * when a refund the notice reported fails later) is a second e-mail to a customer already counted: it
   * is listed apart, and never a difference from the preview.
   */
  notify?: { sent: number; failed: number; cancelled: number; skipped: ReasonCount[]; followUps?: NoticeTally };
  quarantine_devices?: { devices: number; skipped: ReasonCount[] };
}

export interface NoticeTally {
  sent: number;
  failed: number;
  /** Pending or being sent. */
  open: number;
}

/** The intercept fee the preview expected (an estimate) beside what the carrier charged, per currency. */
export interface InterceptFeeLine {
  currency: string;
  estimated: { orders: number; amountMinor: number | null; perOrderMinor: number | null } | null;
  charged: { orders: number; amountMinor: number };
}

export interface RunReport {
  outcome: 'completed' | 'cancelled';
  finishedAt: string;
  executed: ExecutedFigures;
  /** Every comparable figure: the preview's, the plan's and the executed value side by side. */
  figures: { figure: string; preview: number; planned: number; executed: number }[];
  /** The figures where what was executed is not what the preview said. */
  differences: { figure: string; preview: number; executed: number }[];
  matchesPreview: boolean;
  /**
   * Fees that are estimated in the preview and known only once the provider acted: shown side by side,
   * never counted as differences (an estimate is not a promise).
   */
  fees: { intercept: InterceptFeeLine[] };
  /** One line for the timeline and the run's page. */
  summary: string;
}

interface StepTally {
  action: 'stop_shipment' | 'refund';
  operation: StepOperation | null;
  status: string;
  code: string | null;
  currency: string | null;
  count: number;
  amountMinor: number | null;
}

/** Counts a run's steps and notices into executed figures comparable with its preview. */
export async function executedFigures(manager: EntityManager, runId: string, plan: RunFigures): Promise<ExecutedFigures> {
  // One after the other: they may share a transaction's one connection.
  const steps: StepTally[] = await manager.query(
    `SELECT action, operation, status, error_code AS code, currency, count(*) AS count, sum(amount_minor)::bigint AS "amountMinor"
     FROM remediation_step WHERE run_id = $1 GROUP BY 1, 2, 3, 4, 5`,
    [runId],
  );
  const notices: { template: string; status: string; count: number }[] = await manager.query(
    `SELECT template, status, count(*) AS count FROM notification_outbox WHERE run_id = $1 GROUP BY 1, 2`,
    [runId],
  );
  const fees: { currency: string; orders: number; amountMinor: number }[] = plan.stop_shipment
    ? await manager.query(
        `SELECT outcome->>'currency' AS currency, count(*) AS orders, sum((outcome->>'interceptFeeMinor')::bigint)::bigint AS "amountMinor"
         FROM remediation_step
         WHERE run_id = $1 AND action = 'stop_shipment' AND status = 'succeeded' AND outcome->>'interceptFeeMinor' IS NOT NULL
         GROUP BY 1 ORDER BY 1`,
        [runId],
      )
    : [];
  const executed: ExecutedFigures = {};
  const tally = (action: string, status: string) => steps.filter((s) => s.action === action && s.status === status);
  const reasons = (rows: StepTally[], extra: ReasonCount[] = []) => {
    const counts = new Map<string, number>(extra.map((r) => [r.reason, r.count]));
    for (const row of rows) counts.set(row.code ?? 'unknown', (counts.get(row.code ?? 'unknown') ?? 0) + row.count);
    return [...counts].map(([reason, count]) => ({ reason, count })).sort((a, b) => a.reason.localeCompare(b.reason));
  };
  const count = (rows: StepTally[]) => rows.reduce((n, row) => n + row.count, 0);
  // Excluded orders never get a step: their skip is carried over from the plan.
  const excluded = (skipped: ReasonCount[] | undefined) => (skipped ?? []).filter((r) => r.reason === 'excluded');

  if (plan.stop_shipment) {
    const succeeded = new Map<StepOperation, number>();
    for (const row of tally('stop_shipment', 'succeeded')) succeeded.set(row.operation!, (succeeded.get(row.operation!) ?? 0) + row.count);
    executed.stop_shipment = {
      succeeded: [...succeeded].map(([operation, n]) => ({ operation, count: n })),
      skipped: reasons(tally('stop_shipment', 'skipped'), excluded(plan.stop_shipment.skipped)),
      failed: reasons(tally('stop_shipment', 'failed')),
      cancelled: count(tally('stop_shipment', 'cancelled')),
      interceptFees: fees.map((fee) => ({ currency: fee.currency, orders: fee.orders, amountMinor: fee.amountMinor })),
    };
  }
  if (plan.refund) {
    const refunded = new Map<string, number>();
    for (const row of tally('refund', 'succeeded'))
      refunded.set(row.currency!, (refunded.get(row.currency!) ?? 0) + (row.amountMinor ?? 0));
    executed.refund = {
      succeeded: count(tally('refund', 'succeeded')),
      refunded: [...refunded]
        .map(([currency, amountMinor]) => ({ currency, amountMinor }))
        .sort((a, b) => a.currency.localeCompare(b.currency)),
      skipped: reasons(tally('refund', 'skipped'), excluded(plan.refund.skipped)),
      failed: reasons(tally('refund', 'failed')),
      cancelled: count(tally('refund', 'cancelled')),
    };
  }
  if (plan.notify) {
    const of = (followUp: boolean, ...statuses: string[]) =>
      notices
        .filter((n) => (n.template === incidentNoticeTemplate) !== followUp && statuses.includes(n.status))
        .reduce((total, n) => total + n.count, 0);
    executed.notify = {
      sent: of(false, 'sent'),
      failed: of(false, 'failed'),
      cancelled: of(false, 'cancelled'),
      skipped: plan.notify.skipped,
      followUps: { sent: of(true, 'sent'), failed: of(true, 'failed'), open: of(true, 'pending', 'sending') },
    };
  }
  // Quarantines are written by planning itself, in its transaction.
  if (plan.quarantine_devices)
    executed.quarantine_devices = { devices: plan.quarantine_devices.devices, skipped: plan.quarantine_devices.skipped };
  return executed;
}

/** The executed figures under the names `figureValues` gives the preview's, plus failures and cancellations. */
export function executedValues(executed: ExecutedFigures): Map<string, number> {
  const values = new Map<string, number>();
  const put = (name: string, value: number) => values.set(name, (values.get(name) ?? 0) + value);
  const stop = executed.stop_shipment;
  if (stop) {
    put(
      'stop_shipment.orders',
      stop.succeeded.reduce((n, s) => n + s.count, 0),
    );
    for (const s of stop.succeeded) put(`stop_shipment.${s.operation}`, s.count);
    for (const s of stop.skipped) put(`stop_shipment.skipped.${s.reason}`, s.count);
    for (const f of stop.failed) put(`stop_shipment.failed.${f.reason}`, f.count);
    if (stop.cancelled) put('stop_shipment.cancelled', stop.cancelled);
  }
  const refund = executed.refund;
  if (refund) {
    put('refund.orders', refund.succeeded);
    for (const m of refund.refunded) put(`refund.amount_minor.${m.currency}`, m.amountMinor);
    for (const s of refund.skipped) put(`refund.skipped.${s.reason}`, s.count);
    for (const f of refund.failed) put(`refund.failed.${f.reason}`, f.count);
    if (refund.cancelled) put('refund.cancelled', refund.cancelled);
  }
  if (executed.notify) {
    put('notify.customers', executed.notify.sent);
    for (const s of executed.notify.skipped) put(`notify.skipped.${s.reason}`, s.count);
    if (executed.notify.failed) put('notify.failed', executed.notify.failed);
    if (executed.notify.cancelled) put('notify.cancelled', executed.notify.cancelled);
  }
  if (executed.quarantine_devices) {
    put('quarantine_devices.devices', executed.quarantine_devices.devices);
    for (const s of executed.quarantine_devices.skipped) put(`quarantine_devices.skipped.${s.reason}`, s.count);
  }
  return values;
}

export function buildReport(
  outcome: RunReport['outcome'],
  preview: RunFigures,
  plan: RunFigures | null,
  executed: ExecutedFigures,
  finishedAt: Date,
): RunReport {
  const previewValues = figureValues(preview);
  const planValues = plan ? figureValues(plan) : new Map<string, number>();
  const executedValuesMap = executedValues(executed);
  const names = [...new Set([...previewValues.keys(), ...planValues.keys(), ...executedValuesMap.keys()])].sort();
  const diff = differences(previewValues, executedValuesMap).map((d) => ({ figure: d.figure, preview: d.expected, executed: d.actual }));
  return {
    outcome,
    finishedAt: finishedAt.toISOString(),
    executed,
    figures: names.map((figure) => ({
      figure,
      preview: previewValues.get(figure) ?? 0,
      planned: planValues.get(figure) ?? 0,
      executed: executedValuesMap.get(figure) ?? 0,
    })),
    differences: diff,
    matchesPreview: diff.length === 0,
    fees: { intercept: interceptFeeLines(preview, executed) },
    summary: summarise(outcome, executed, diff.length),
  };
}

/** Per currency: the preview's estimated intercept fee beside the fees charged (either may be missing). */
function interceptFeeLines(preview: RunFigures, executed: ExecutedFigures): InterceptFeeLine[] {
  const estimated = expectedInterceptFees(preview);
  const charged = executed.stop_shipment?.interceptFees ?? [];
  const currencies = [...new Set([...estimated.map((e) => e.currency), ...charged.map((c) => c.currency)])].sort();
  return currencies.map((currency) => {
    const expected = estimated.find((e) => e.currency === currency);
    const actual = charged.find((c) => c.currency === currency);
    return {
      currency,
      estimated: expected ? { orders: expected.orders, amountMinor: expected.amountMinor, perOrderMinor: expected.perOrderMinor } : null,
      charged: { orders: actual?.orders ?? 0, amountMinor: actual?.amountMinor ?? 0 },
    };
  });
}

function summarise(outcome: RunReport['outcome'], executed: ExecutedFigures, differing: number): string {
  const parts: string[] = [];
  const stop = executed.stop_shipment;
  if (stop) parts.push(`${stop.succeeded.reduce((n, s) => n + s.count, 0)} shipments stopped`);
  const refund = executed.refund;
  if (refund) {
    const amounts = refund.refunded.map((m) => formatMoney(m)).join(', ');
    parts.push(`${refund.succeeded} orders refunded${amounts ? ` (${amounts})` : ''}`);
  }
  const failed = [...(stop?.failed ?? []), ...(refund?.failed ?? [])].reduce((n, f) => n + f.count, 0);
  if (failed) parts.push(`${failed} steps failed`);
  if (executed.notify) {
    const followUps = executed.notify.followUps?.sent ?? 0;
    parts.push(
      `${executed.notify.sent} notices sent${followUps ? ` (and ${followUps} refund-failed follow-up${followUps === 1 ? '' : 's'})` : ''}`,
    );
  }
  if (executed.quarantine_devices) parts.push(`${executed.quarantine_devices.devices} devices quarantined`);
  const comparison = differing ? `differs from its preview in ${differing} figure${differing === 1 ? '' : 's'}` : 'matches its preview';
  return `${outcome === 'completed' ? 'Completed' : 'Cancelled'}: ${parts.join('; ') || 'nothing done'}; ${comparison}`;
}
