import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { PreparedStatement } from '../database/prepared-statement.js';
import { AppConfig } from '../config/app-config.js';
import { isUuid } from '../http/is-uuid.js';
import { refundFailed } from '../payments/payment-provider.js';
import type { ProcessingFeeModel } from './fee-model.js';
import type { LedgerCategory, LedgerSourceType } from './ledger-categories.js';
import {
  disputeEntries,
  goodsRecoveredEntry,
  providerFeeEntry,
  refundEntries,
  shipmentEntries,
  standingEntries,
  withEntries,
  type DisputeFacts,
  type EntryContext,
  type EntryDraft,
  type OrderBalances,
  type OrderFacts,
  type RefundFacts,
  type ShipmentMoney,
  type ShipmentOperation,
} from './ledger-derivation.js';

/** A remediation step that became final, as the engine records it. */
export interface StepOutcomeFacts {
  incidentId: string;
  runId: string;
  stepId: string;
  orderId: string;
  action: 'stop_shipment' | 'refund';
  status: 'succeeded' | 'skipped' | 'failed' | 'cancelled';
  /** The operation actually taken (the step's `operation` after any too_late hops). */
  operation: ShipmentOperation | 'refund' | null;
  /** stop_shipment: the provider action's money — the step's `outcome` (labelCreditMinor, interceptFeeMinor, …). */
  shipment?: ShipmentMoney | null;
  /** refund: the refund as recorded with the step (status merged with what webhooks said). */
  refund?: RefundFacts | null;
  occurredAt?: Date | null;
}

export interface RefundEventFacts {
  orderId: string;
  refund: RefundFacts;
  /** The incident to book to; when omitted, the order's incident (its open membership, else its latest). */
  incidentId?: string | null;
  runId?: string | null;
  stepId?: string | null;
  eventId?: string | null;
  occurredAt?: Date | null;
}

export interface DisputeEventFacts {
  orderId: string;
  dispute: DisputeFacts;
  incidentId?: string | null;
  eventId?: string | null;
  occurredAt?: Date | null;
}

export interface WrittenEntry {
  id: string;
  category: LedgerCategory;
  currency: string;
  amountMinor: number;
  sourceType: LedgerSourceType;
  sourceId: string;
}

export interface LedgerWriteResult {
  /** The incident the facts were booked to; null when the order is in no incident (nothing written). */
  incidentId: string | null;
  /** Entries written now; empty when every fact was already in the ledger (a replay). */
  written: WrittenEntry[];
}

/** The fee settings the writer books with (PROVIDER_FEE_MODEL, DISPUTE_FEES). */
export interface LedgerFeeSettings {
  providerFeeModel: ProcessingFeeModel;
  disputeFees: Readonly<Record<string, number>>;
}

const columns = `incident_id, order_id, currency, category, amount_minor, source_type, source_id, run_id, step_id, provider_ref, event_id, occurred_at, detail`;

/**
 * Writes the loss ledger. Every method takes the caller's EntityManager and
 * must run INSIDE the transaction of the state change it records (a step's
 * final status, a webhook's refund or dispute), so the ledger and the change
 * commit or roll back together. Call it last in that transaction: it takes a
 * per-order lock (so two events of one order book the provider fee once) and
 * should not hold it while waiting on other rows.
 *
 * Idempotent: facts are derived by ledger-derivation.ts into entries with a
 * unique (source, category), inserted ON CONFLICT DO NOTHING — a retried
 * step or a webhook delivered twice, late or out of order writes nothing twice.
 */
@Injectable()
export class LedgerWriter {
  private readonly fees: LedgerFeeSettings;

  constructor(config: AppConfig) {
    this.fees = { providerFeeModel: config.providerFeeModel, disputeFees: config.disputeFees };
  }

  /**
   * A remediation step became final. Shipment stopped: its provider money
   * (label credit, intercept fee, return label) and the order's standing
   * costs; refund: the refund (see recordRefund). Skipped or failed steps book
   * the order's standing costs only; a cancelled step never reached a provider.
   */
  async recordStepOutcome(manager: EntityManager, facts: StepOutcomeFacts): Promise<LedgerWriteResult> {
    if (facts.status === 'cancelled') return { incidentId: facts.incidentId, written: [] };
    const context: EntryContext = { incidentId: facts.incidentId, runId: facts.runId, stepId: facts.stepId, occurredAt: facts.occurredAt };
    if (facts.action === 'refund' && facts.refund) {
      return this.recordRefund(manager, { orderId: facts.orderId, refund: facts.refund, ...context });
    }
    const open = await this.openOrder(manager, facts.orderId, { id: facts.incidentId });
    if (!open) return { incidentId: facts.incidentId, written: [] };
    const { order } = open;
    const stopped = facts.action === 'stop_shipment' && facts.status === 'succeeded' && facts.operation && facts.operation !== 'refund';
    const drafts = stopped
      ? shipmentEntries(order, { ...context, stepId: facts.stepId }, facts.operation as ShipmentOperation, facts.shipment ?? null)
      : standingEntries(order, context);
    return { incidentId: facts.incidentId, written: await insertEntries(manager, drafts) };
  }

  /**
   * The engine's one-line hook: call it at the end of the transaction that
   * makes a remediation step final (StepStore.finish), with the step's id. The
   * facts are read from the step row as the executors leave it — the operation
   * actually taken, `outcome` (a shipment action's money; a refund's id,
   * amount, currency and merged status) — and booked by recordStepOutcome.
   */
  async recordFinishedStep(manager: EntityManager, stepId: string): Promise<LedgerWriteResult> {
    const [step] = await manager.query(
      `SELECT s.id, s.run_id, r.incident_id, s.order_id, s.action, s.operation, s.status, s.outcome, s.provider_ref, s.provider_status, s.finished_at
         FROM remediation_step s JOIN remediation_run r ON r.id = s.run_id WHERE s.id = $1`,
      [stepId],
    );
    if (!step) return { incidentId: null, written: [] };
    return this.recordStepOutcome(manager, stepOutcomeFacts(step));
  }

  /**
   * A refund of an order's payment, as the provider last described it (from
   * a refund step or a webhook; ours or made elsewhere, e.g. in the provider's
   * dashboard). Live: `refund_issued`; failed or canceled: also
   * `refund_reversed` of exactly its amount. Then the provider fee rule.
   */
  async recordRefund(manager: EntityManager, facts: RefundEventFacts): Promise<LedgerWriteResult> {
    const open = await this.openOrder(manager, facts.orderId, { named: facts.incidentId });
    if (!open) return { incidentId: null, written: [] };
    const context: EntryContext = { ...facts, incidentId: open.incidentId };
    const written = await insertEntries(manager, refundEntries(open.order, context, facts.refund));
    const source = { type: refundFailed(facts.refund.status) ? ('refund_failure' as const) : ('refund' as const), id: facts.refund.id };
    written.push(...(await this.settleProviderFee(manager, open, written, context, source)));
    return { incidentId: open.incidentId, written };
  }

  /** A chargeback (webhook): the amount and fee once the money is taken, the amount back if won; then the provider fee rule. */
  async recordDispute(manager: EntityManager, facts: DisputeEventFacts): Promise<LedgerWriteResult> {
    const open = await this.openOrder(manager, facts.orderId, { named: facts.incidentId });
    if (!open) return { incidentId: null, written: [] };
    const context: EntryContext = { ...facts, incidentId: open.incidentId };
    const fallbackFee = this.fees.disputeFees[facts.dispute.currency] ?? null;
    const written = await insertEntries(manager, disputeEntries(open.order, context, facts.dispute, fallbackFee));
    const source = {
      type: facts.dispute.status === 'won' ? ('dispute_reinstatement' as const) : ('dispute' as const),
      id: facts.dispute.id,
    };
    written.push(...(await this.settleProviderFee(manager, open, written, context, source)));
    return { incidentId: open.incidentId, written };
  }

  /** Goods booked lost came back to the merchant (the order became `returned`): exactly that cost is recovered, once. */
  async recordGoodsReturned(
    manager: EntityManager,
    facts: { orderId: string; incidentId?: string | null; occurredAt?: Date | null },
  ): Promise<LedgerWriteResult> {
    const open = await this.openOrder(manager, facts.orderId, { named: facts.incidentId });
    if (!open) return { incidentId: null, written: [] };
    const entry = goodsRecoveredEntry(open.order, { ...facts, incidentId: open.incidentId }, open.balances);
    return { incidentId: open.incidentId, written: entry ? await insertEntries(manager, [entry]) : [] };
  }

  /** The provider fee rule, on the balances as they stand with `written` booked. */
  private async settleProviderFee(
    manager: EntityManager,
    open: OpenOrder,
    written: readonly WrittenEntry[],
    context: EntryContext,
    source: { type: LedgerSourceType; id: string },
  ): Promise<WrittenEntry[]> {
    const balances = withEntries(open.balances, open.order.currency, written);
    const entry = providerFeeEntry(open.order, context, source, balances, this.fees.providerFeeModel);
    return entry ? insertEntries(manager, [entry]) : [];
  }

  /**
   * Takes the per-order transaction lock that serialises the order's ledger
   * writes (so two events of one order book the provider fee once), finds the
   * incident to book to, and reads the order with its balances: two
   * statements. The balances must be read by a statement that starts after
   * the lock is held — a statement's snapshot is taken when it starts, so one
   * that took the lock itself could miss the entries of the writer it waited for.
   *
   * The incident: the one given (a step's run); else the one named (a
   * refund's `metadata.incident_id`) if the order is a member there, else the
   * order's open incident, else the latest one it was confirmed or suspected in.
   * Null when the order is in no incident (nothing to book) or unknown.
   */
  private async openOrder(
    manager: EntityManager,
    orderId: string,
    incident: { id: string } | { named?: string | null },
  ): Promise<OpenOrder | null> {
    if (!isUuid(orderId)) return null;
    const known = 'id' in incident;
    const named = known ? incident.id : incident.named && isUuid(incident.named) ? incident.named : null;
    const [locked] = await (known ? lockForRun : lockForEvent).run(manager, [orderId, named]);
    if (!locked?.incident_id) return null;
    const [row] = await orderWithBalances.run(manager, [orderId]);
    if (!row) return null;
    const { moneyBackMinor, providerFeeMinor, goodsLostMinor, ...order } = row;
    return {
      incidentId: locked.incident_id,
      order: order as OrderFacts,
      balances: {
        moneyBackMinor: Number(moneyBackMinor),
        providerFeeMinor: Number(providerFeeMinor),
        goodsLostMinor: Number(goodsLostMinor),
      },
    };
  }
}

/** A final remediation_step row (joined with its run's incident) as the facts of its outcome. */
export function stepOutcomeFacts(step: {
  id: string;
  run_id: string;
  incident_id: string;
  order_id: string;
  action: 'stop_shipment' | 'refund';
  operation: StepOutcomeFacts['operation'];
  status: StepOutcomeFacts['status'] | 'pending' | 'queued' | 'in_flight';
  outcome: Record<string, unknown> | null;
  provider_ref: string | null;
  provider_status: string | null;
  finished_at: Date | null;
}): StepOutcomeFacts {
  const outcome = step.outcome ?? {};
  const number = (value: unknown) => (typeof value === 'number' ? value : null);
  const refundId = typeof outcome.refundId === 'string' ? outcome.refundId : step.action === 'refund' ? step.provider_ref : null;
  const status = (typeof outcome.status === 'string' ? outcome.status : step.provider_status) as RefundFacts['status'] | null;
  return {
    incidentId: step.incident_id,
    runId: step.run_id,
    stepId: step.id,
    orderId: step.order_id,
    action: step.action,
    // An open step has no outcome yet: treated as cancelled, it books nothing.
    status: ['succeeded', 'skipped', 'failed'].includes(step.status) ? (step.status as StepOutcomeFacts['status']) : 'cancelled',
    operation: step.operation,
    shipment:
      step.action === 'stop_shipment' && typeof outcome.currency === 'string'
        ? {
            currency: outcome.currency,
            actionId: typeof outcome.actionId === 'string' ? outcome.actionId : step.provider_ref,
            labelCreditMinor: number(outcome.labelCreditMinor),
            interceptFeeMinor: number(outcome.interceptFeeMinor),
            returnShippingCostMinor: number(outcome.returnShippingCostMinor),
          }
        : null,
    refund:
      step.action === 'refund' && refundId && status && number(outcome.amountMinor) !== null && typeof outcome.currency === 'string'
        ? { id: refundId, amountMinor: number(outcome.amountMinor)!, currency: outcome.currency, status }
        : null,
    occurredAt: step.finished_at,
  };
}

/** The order's facts and what the ledger holds for it so far, in its currency (every incident: goods and fees are lost once). */
const orderWithBalances = new PreparedStatement(`
  SELECT o.id, o.currency, o.total_minor AS "totalMinor", o.cost_of_goods_minor AS "costOfGoodsMinor",
         o.shipping_label_cost_minor AS "labelCostMinor", o.fulfilment_state AS "fulfilmentState",
         b."moneyBackMinor", b."providerFeeMinor", b."goodsLostMinor"
    FROM orders o CROSS JOIN LATERAL (
      SELECT COALESCE(sum(amount_minor) FILTER (WHERE category IN ('refund_issued', 'refund_reversed', 'dispute_amount')), 0)::bigint AS "moneyBackMinor",
             COALESCE(sum(amount_minor) FILTER (WHERE category = 'provider_fee_not_returned'), 0)::bigint AS "providerFeeMinor",
             COALESCE(sum(amount_minor) FILTER (WHERE category IN ('goods_lost', 'goods_recovered')), 0)::bigint AS "goodsLostMinor"
        FROM ledger_entry WHERE order_id = o.id AND currency = o.currency) b
   WHERE o.id = $1`);

/** The order's ledger lock, with the incident to book to: given (a step's run), or looked up (see `openOrder`). */
const lockForRun = new PreparedStatement(
  `SELECT pg_advisory_xact_lock(hashtextextended('ledger:' || $1::uuid::text, 0)), $2::uuid AS incident_id`,
);
const lockForEvent = new PreparedStatement(
  `SELECT pg_advisory_xact_lock(hashtextextended('ledger:' || $1::uuid::text, 0)),
          (SELECT incident_id FROM incident_order WHERE order_id = $1::uuid AND status <> 'excluded'
            ORDER BY (incident_id = $2::uuid) IS TRUE DESC, open DESC, changed_at DESC LIMIT 1) AS incident_id`,
);

/** An order under the ledger's lock: the incident it books to, its facts, its balances before this write. */
interface OpenOrder {
  incidentId: string;
  order: OrderFacts;
  balances: OrderBalances;
}

/** Drill-down references come from outside too (a refund's metadata): anything but a uuid is left out. */
const uuidOrNull = (value: string | null) => (value && isUuid(value) ? value : null);

/**
 * One fixed statement for any number of entries (arrays, one per column), so it is prepared once
 * per connection: every step and refund webhook books through it.
 */
const entriesInsert = new PreparedStatement(`
  INSERT INTO ledger_entry (${columns})
  SELECT incident_id, order_id, currency, category, amount_minor, source_type, source_id, run_id, step_id, provider_ref, event_id,
         COALESCE(occurred_at, clock_timestamp()), detail
    FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::text[], $8::uuid[], $9::uuid[],
                $10::text[], $11::text[], $12::timestamptz[], $13::jsonb[])
         AS d(incident_id, order_id, currency, category, amount_minor, source_type, source_id, run_id, step_id, provider_ref, event_id,
              occurred_at, detail)
  ON CONFLICT (source_type, source_id, category) DO NOTHING
  RETURNING id::text AS id, category, currency, amount_minor AS "amountMinor", source_type AS "sourceType", source_id AS "sourceId"`);

/** Inserts drafts; a fact already in the ledger (same source and category) is skipped. Returns what was written. */
export async function insertEntries(manager: EntityManager, drafts: readonly EntryDraft[]): Promise<WrittenEntry[]> {
  if (drafts.length === 0) return [];
  const column = <T>(pick: (draft: EntryDraft) => T) => drafts.map(pick);
  return entriesInsert.run<WrittenEntry>(manager, [
    column((d) => d.incidentId),
    column((d) => d.orderId),
    column((d) => d.currency),
    column((d) => d.category),
    column((d) => d.amountMinor),
    column((d) => d.sourceType),
    column((d) => d.sourceId),
    column((d) => uuidOrNull(d.runId)),
    column((d) => uuidOrNull(d.stepId)),
    column((d) => d.providerRef),
    column((d) => d.eventId),
    column((d) => d.occurredAt),
    column((d) => JSON.stringify(d.detail)),
  ]);
}
