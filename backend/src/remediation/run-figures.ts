import type { EntityManager } from 'typeorm';
import type { Money } from '../money/money.js';
import type { RunScope } from './run-classification.js';
import type { RunAction, StepOperation } from './run-lifecycle.js';

export interface ReasonCount {
  reason: string;
  count: number;
}

export interface CurrencyAmount extends Money {
  orders: number;
}

/**
 * What intercepting the parcels in one currency is expected to cost: the
 * carrier names its fee only when it intercepts, so this is the configured
 * estimate per parcel (INTERCEPT_FEE_ESTIMATES) times the parcels — null when
 * no estimate is configured for the currency. Never a figure the report
 * compares: the report shows the fees charged beside it.
 */
export interface EstimatedFee {
  currency: string;
  orders: number;
  perOrderMinor: number | null;
  amountMinor: number | null;
  estimated: true;
}

/** Settings the figures depend on besides the data. */
export interface FigureSettings {
  /** Expected intercept fee per parcel, minor units per currency. */
  interceptFeeEstimates: Readonly<Record<string, number>>;
}

/**
 * What a run does, in figures: the dry-run preview a person sees, and the
 * same figures computed again when the run is planned. Money is per currency,
 * never summed across currencies.
 */
export interface RunFigures {
  actions: RunAction[];
  orders: {
    /** Confirmed orders the run acts on. */
    confirmed: number;
    /** Excluded from the incident: never touched (reported as skipped, reason `excluded`). */
    excluded: number;
    /** Not decided yet: a run acts on confirmed orders only. */
    suspected: number;
    /** Confirmed after the run was requested: left for a new run (0 in a preview). */
    confirmedAfterRequest: number;
  };
  stop_shipment?: {
    orders: number;
    /**
     * Per fulfilment state, what stopping the shipment means; a voided label's cost is credited back,
     * an intercept costs the carrier's fee (`interceptFee`, estimated, on the intercept row only).
     */
    byOperation: StopOperationFigures[];
    skipped: ReasonCount[];
  };
  refund?: {
    orders: number;
    totals: CurrencyAmount[];
    byFulfilmentState: (CurrencyAmount & { fulfilmentState: string })[];
    skipped: ReasonCount[];
  };
  notify?: { customers: number; orders: number; skipped: ReasonCount[] };
  quarantine_devices?: { devices: number; ordersWithoutDevice: number; skipped: ReasonCount[] };
  /** Up to five orders per action and skip reason, so a person can check the rule on real orders. */
  skippedSample: { orderId: string; externalId: string; action: string; reason: string }[];
}

export interface StopOperationFigures {
  operation: StepOperation;
  fulfilmentState: string;
  orders: number;
  labelCredit: Money[];
  interceptFee?: EstimatedFee[];
}

interface StepGroup {
  action: 'stop_shipment' | 'refund';
  operation: StepOperation | null;
  skipReason: string | null;
  fulfilmentState: string;
  currency: string;
  orders: number;
  amountMinor: number | null;
  labelCostMinor: number | null;
}

const byReason = (rows: { reason: string; count: number }[]): ReasonCount[] =>
  rows.filter((r) => r.count > 0).sort((a, b) => a.reason.localeCompare(b.reason));

/** Summarises the classification tables of `classifyRun` (same transaction) into figures. */
export async function summariseRun(manager: EntityManager, scope: RunScope, settings: FigureSettings): Promise<RunFigures> {
  // One after the other: they share the transaction's one connection.
  const [members] = (await manager.query(
    `SELECT count(*) FILTER (WHERE membership = 'confirmed') AS confirmed, count(*) FILTER (WHERE membership = 'excluded') AS excluded,
            count(*) FILTER (WHERE membership = 'confirmed' AND device_id IS NULL) AS "withoutDevice"
     FROM rd_run_orders`,
  )) as { confirmed: number; excluded: number; withoutDevice: number }[];
  const [later] = (await manager.query(
    `SELECT count(*) FILTER (WHERE status = 'suspected') AS suspected,
            count(*) FILTER (WHERE status = 'confirmed' AND $2::timestamptz IS NOT NULL AND changed_at > $2::timestamptz) AS "confirmedLater"
     FROM incident_order WHERE incident_id = $1`,
    [scope.incidentId, scope.confirmedBy],
  )) as { suspected: number; confirmedLater: number }[];
  const groups = (await manager.query(
    `SELECT action, operation, skip_reason AS "skipReason", fulfilment_state AS "fulfilmentState", currency, count(*) AS orders,
            sum(amount_minor)::bigint AS "amountMinor", sum(label_cost_minor)::bigint AS "labelCostMinor"
     FROM rd_step_plan GROUP BY 1, 2, 3, 4, 5`,
  )) as StepGroup[];
  const notices = (await manager.query(
    `SELECT skip_reason AS reason, count(*) AS count, sum(orders)::bigint AS orders FROM rd_notice_plan GROUP BY 1`,
  )) as { reason: string | null; count: number; orders: number }[];
  const devices = (await manager.query(`SELECT skip_reason AS reason, count(*) AS count FROM rd_device_plan GROUP BY 1`)) as {
    reason: string | null;
    count: number;
  }[];
  const sample = (await manager.query(
    `SELECT order_id AS "orderId", external_id AS "externalId", action, skip_reason AS reason FROM (
       SELECT *, row_number() OVER (PARTITION BY action, skip_reason ORDER BY external_id, order_id) AS n
       FROM rd_step_plan WHERE skip_reason IS NOT NULL) t
     WHERE n <= 5 ORDER BY action, reason, external_id`,
  )) as RunFigures['skippedSample'];

  const figures: RunFigures = {
    actions: [...scope.actions],
    orders: {
      confirmed: members!.confirmed,
      excluded: members!.excluded,
      suspected: later!.suspected,
      confirmedAfterRequest: later!.confirmedLater,
    },
    skippedSample: sample,
  };
  const skippedOf = (action: string) => {
    const counts = new Map<string, number>();
    for (const g of groups) if (g.action === action && g.skipReason) counts.set(g.skipReason, (counts.get(g.skipReason) ?? 0) + g.orders);
    return byReason([...counts].map(([reason, count]) => ({ reason, count })));
  };
  const acting = (action: string) => groups.filter((g) => g.action === action && !g.skipReason);

  if (scope.actions.includes('stop_shipment')) {
    const operations = new Map<string, StopOperationFigures>();
    for (const g of acting('stop_shipment')) {
      const entry = operations.get(g.fulfilmentState) ?? {
        operation: g.operation!,
        fulfilmentState: g.fulfilmentState,
        orders: 0,
        labelCredit: [],
        ...(g.operation === 'intercept' ? { interceptFee: [] } : {}),
      };
      entry.orders += g.orders;
      if (g.labelCostMinor !== null) entry.labelCredit.push({ currency: g.currency, amountMinor: g.labelCostMinor });
      if (entry.interceptFee) entry.interceptFee.push(estimateInterceptFee(g.currency, g.orders, settings));
      operations.set(g.fulfilmentState, entry);
    }
    const byOperation = [...operations.values()].sort((a, b) => operationOrder(a.operation) - operationOrder(b.operation));
    for (const entry of byOperation) {
      entry.labelCredit.sort((a, b) => a.currency.localeCompare(b.currency));
      entry.interceptFee?.sort((a, b) => a.currency.localeCompare(b.currency));
    }
    figures.stop_shipment = { orders: sum(byOperation.map((o) => o.orders)), byOperation, skipped: skippedOf('stop_shipment') };
  }

  if (scope.actions.includes('refund')) {
    const refunds = acting('refund');
    const totals = new Map<string, CurrencyAmount>();
    for (const g of refunds) {
      const total = totals.get(g.currency) ?? { currency: g.currency, orders: 0, amountMinor: 0 };
      total.orders += g.orders;
      total.amountMinor += g.amountMinor ?? 0;
      totals.set(g.currency, total);
    }
    figures.refund = {
      orders: sum(refunds.map((g) => g.orders)),
      totals: [...totals.values()].sort((a, b) => a.currency.localeCompare(b.currency)),
      byFulfilmentState: refunds
        .map((g) => ({ fulfilmentState: g.fulfilmentState, currency: g.currency, orders: g.orders, amountMinor: g.amountMinor ?? 0 }))
        .sort((a, b) => stateOrder(a.fulfilmentState) - stateOrder(b.fulfilmentState) || a.currency.localeCompare(b.currency)),
      skipped: skippedOf('refund'),
    };
  }

  if (scope.actions.includes('notify')) {
    const notified = notices.find((n) => n.reason === null);
    figures.notify = {
      customers: notified?.count ?? 0,
      orders: notified?.orders ?? 0,
      skipped: byReason(notices.filter((n) => n.reason !== null).map((n) => ({ reason: n.reason!, count: n.count }))),
    };
  }

  if (scope.actions.includes('quarantine_devices')) {
    figures.quarantine_devices = {
      devices: devices.find((d) => d.reason === null)?.count ?? 0,
      ordersWithoutDevice: members!.withoutDevice,
      skipped: byReason(devices.filter((d) => d.reason !== null) as ReasonCount[]),
    };
  }
  return figures;
}

/** The configured fee per parcel times the parcels of one currency; null amounts when the currency has no estimate. */
export function estimateInterceptFee(currency: string, orders: number, settings: FigureSettings): EstimatedFee {
  const perOrderMinor = settings.interceptFeeEstimates[currency] ?? null;
  return { currency, orders, perOrderMinor, amountMinor: perOrderMinor === null ? null : perOrderMinor * orders, estimated: true };
}

/** The intercept fees a preview (or plan) expects, per currency; old previews without an estimate give none. */
export function expectedInterceptFees(figures: RunFigures): EstimatedFee[] {
  return (figures.stop_shipment?.byOperation ?? []).flatMap((o) => o.interceptFee ?? []);
}

/** Whether a run would act at all: some step, notice or quarantine. */
export function hasWork(figures: RunFigures): boolean {
  return (
    (figures.stop_shipment?.orders ?? 0) +
      (figures.refund?.orders ?? 0) +
      (figures.notify?.customers ?? 0) +
      (figures.quarantine_devices?.devices ?? 0) >
    0
  );
}

export interface ApprovalAssessment {
  required: boolean;
  /** The currencies whose refund total is above the threshold (or that have no threshold). */
  over: { currency: string; amountMinor: number; thresholdMinor: number | null }[];
}

/**
 * A run waits for an incident commander when any currency's refund total is
 * above its threshold. A currency without a threshold always needs approval:
 * nobody decided how much of it may move unreviewed.
 */
export function assessApproval(figures: RunFigures, thresholds: Readonly<Record<string, number>>): ApprovalAssessment {
  const over = (figures.refund?.totals ?? [])
    .map((t) => ({ currency: t.currency, amountMinor: t.amountMinor, thresholdMinor: thresholds[t.currency] ?? null }))
    .filter((t) => t.amountMinor > 0 && (t.thresholdMinor === null || t.amountMinor > t.thresholdMinor));
  return { required: over.length > 0, over };
}

/**
 * The comparable figures as flat `name → number` pairs: what the report and
 * the plan compare with the preview, one difference per name that differs.
 */
export function figureValues(figures: RunFigures): Map<string, number> {
  const values = new Map<string, number>();
  const put = (name: string, value: number) => values.set(name, (values.get(name) ?? 0) + value);
  if (figures.stop_shipment) {
    put('stop_shipment.orders', figures.stop_shipment.orders);
    for (const o of figures.stop_shipment.byOperation) put(`stop_shipment.${o.operation}`, o.orders);
    for (const s of figures.stop_shipment.skipped) put(`stop_shipment.skipped.${s.reason}`, s.count);
  }
  if (figures.refund) {
    put('refund.orders', figures.refund.orders);
    for (const t of figures.refund.totals) put(`refund.amount_minor.${t.currency}`, t.amountMinor);
    for (const s of figures.refund.skipped) put(`refund.skipped.${s.reason}`, s.count);
  }
  if (figures.notify) {
    put('notify.customers', figures.notify.customers);
    for (const s of figures.notify.skipped) put(`notify.skipped.${s.reason}`, s.count);
  }
  if (figures.quarantine_devices) {
    put('quarantine_devices.devices', figures.quarantine_devices.devices);
    for (const s of figures.quarantine_devices.skipped) put(`quarantine_devices.skipped.${s.reason}`, s.count);
  }
  return values;
}

export interface FigureDifference {
  figure: string;
  expected: number;
  actual: number;
}

/** Every figure whose value differs (a name missing on one side counts as 0). */
export function differences(expected: Map<string, number>, actual: Map<string, number>): FigureDifference[] {
  const names = [...new Set([...expected.keys(), ...actual.keys()])].sort();
  return names
    .map((figure) => ({ figure, expected: expected.get(figure) ?? 0, actual: actual.get(figure) ?? 0 }))
    .filter((d) => d.expected !== d.actual);
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
const operationOrder = (operation: string) => ['cancel', 'void_label', 'intercept', 'request_return'].indexOf(operation);
const stateOrder = (state: string) =>
  ['unfulfilled', 'label_created', 'in_transit', 'delivered', 'cancelled', 'intercepted', 'returned'].indexOf(state);
