import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { refundFailed } from '../payments/payment-provider.js';
import type { ProcessingFeeModel } from './fee-model.js';
import type { LedgerSourceType } from './ledger-categories.js';
import { entryKey, insertEntries, openOrders, type OpenOrder, type OrderIncident, type WrittenEntry } from './ledger-rows.js';

export type { WrittenEntry } from './ledger-rows.js';
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
    return (await this.recordStepOutcomes(manager, [facts]))[0]!;
  }

  /** recordStepOutcome for many steps (a chunk of the engine's) in a few statements, whatever their number. */
  async recordStepOutcomes(manager: EntityManager, all: readonly StepOutcomeFacts[]): Promise<LedgerWriteResult[]> {
    return this.book(
      manager,
      all.map((facts): Booking => {
        const context: EntryContext = {
          incidentId: facts.incidentId,
          runId: facts.runId,
          stepId: facts.stepId,
          occurredAt: facts.occurredAt,
        };
        if (facts.status === 'cancelled') return { orderId: facts.orderId, incident: { none: facts.incidentId }, derive: () => [] };
        if (facts.action === 'refund' && facts.refund)
          return this.refundBooking({ orderId: facts.orderId, refund: facts.refund, ...context });
        const stopped = facts.action === 'stop_shipment' && facts.status === 'succeeded' && facts.operation && facts.operation !== 'refund';
        return {
          orderId: facts.orderId,
          incident: { id: facts.incidentId },
          derive: ({ order }) =>
            stopped
              ? shipmentEntries(order, { ...context, stepId: facts.stepId }, facts.operation as ShipmentOperation, facts.shipment ?? null)
              : standingEntries(order, context),
        };
      }),
    );
  }

  /**
   * The engine's one-line hook: call it at the end of the transaction that
   * makes a remediation step final, with the step's id. The facts are read
   * from the step row as the executors leave it — the operation actually
   * taken, `outcome` (a shipment action's money; a refund's id, amount,
   * currency and merged status) — and booked by recordStepOutcome.
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
    return (await this.recordRefunds(manager, [facts]))[0]!;
  }

  /** recordRefund for many refunds (a batch of webhook events), each against its order as the ones before it left it. */
  async recordRefunds(manager: EntityManager, facts: readonly RefundEventFacts[]): Promise<LedgerWriteResult[]> {
    return this.book(
      manager,
      facts.map((refund) => this.refundBooking(refund)),
    );
  }

  /** A chargeback (webhook): the amount and fee once the money is taken, the amount back if won; then the provider fee rule. */
  async recordDispute(manager: EntityManager, facts: DisputeEventFacts): Promise<LedgerWriteResult> {
    const fallbackFee = this.fees.disputeFees[facts.dispute.currency] ?? null;
    const [result] = await this.book(manager, [
      {
        orderId: facts.orderId,
        incident: { named: facts.incidentId },
        derive: ({ order }, incidentId) => disputeEntries(order, { ...facts, incidentId }, facts.dispute, fallbackFee),
        feeSource: { type: facts.dispute.status === 'won' ? 'dispute_reinstatement' : 'dispute', id: facts.dispute.id },
        context: facts,
      },
    ]);
    return result!;
  }

  /** Goods booked lost came back to the merchant (the order became `returned`): exactly that cost is recovered, once. */
  async recordGoodsReturned(
    manager: EntityManager,
    facts: { orderId: string; incidentId?: string | null; occurredAt?: Date | null },
  ): Promise<LedgerWriteResult> {
    const [result] = await this.book(manager, [
      {
        orderId: facts.orderId,
        incident: { named: facts.incidentId },
        derive: ({ order, balances }, incidentId) => {
          const entry = goodsRecoveredEntry(order, { ...facts, incidentId }, balances);
          return entry ? [entry] : [];
        },
      },
    ]);
    return result!;
  }

  private refundBooking(facts: RefundEventFacts): Booking {
    return {
      orderId: facts.orderId,
      incident: { named: facts.incidentId },
      derive: ({ order }, incidentId) => refundEntries(order, { ...facts, incidentId }, facts.refund),
      feeSource: { type: refundFailed(facts.refund.status) ? 'refund_failure' : 'refund', id: facts.refund.id },
      context: facts,
    };
  }

  /**
   * Books facts in a few statements whatever their number: the orders locked
   * and read (two), every fact's entries inserted (one), then the provider fee
   * rule applied to each fact in order, on its order's balances as the facts
   * before it left them, and its entries inserted (one more, when any).
   * Returns what each fact wrote.
   */
  private async book(manager: EntityManager, bookings: readonly Booking[]): Promise<LedgerWriteResult[]> {
    const live = bookings.map((booking) => ('none' in booking.incident ? null : booking));
    const opened = await openOrders(
      manager,
      live.flatMap((booking) => (booking ? [{ orderId: booking.orderId, incident: booking.incident as OrderIncident }] : [])),
    );
    let next = 0;
    const plans = live.map((booking) => {
      if (!booking) return null;
      const open = opened[next++];
      return open ? { booking, open, drafts: booking.derive(open, open.incidentId) } : null;
    });
    const unclaimed = new Map(
      (
        await insertEntries(
          manager,
          plans.flatMap((plan) => plan?.drafts ?? []),
        )
      ).map((entry) => [entryKey(entry), entry]),
    );
    const balances = new Map<string, OrderBalances>();
    const fees: { entry: EntryDraft; plan: number }[] = [];
    const results: LedgerWriteResult[] = plans.map((plan, i) => {
      if (!plan) {
        const incident = bookings[i]!.incident;
        return { incidentId: 'none' in incident ? incident.none : 'id' in incident ? incident.id : null, written: [] };
      }
      // What this fact wrote (an entry two facts derive is the first one's).
      const written = plan.drafts.flatMap((draft) => {
        const entry = unclaimed.get(entryKey(draft));
        unclaimed.delete(entryKey(draft));
        return entry ? [entry] : [];
      });
      const { order } = plan.open;
      let after = withEntries(balances.get(order.id) ?? plan.open.balances, order.currency, written);
      if (plan.booking.feeSource) {
        const context = { ...plan.booking.context, incidentId: plan.open.incidentId };
        const fee = providerFeeEntry(order, context, plan.booking.feeSource, after, this.fees.providerFeeModel);
        if (fee) {
          fees.push({ entry: fee, plan: i });
          after = withEntries(after, order.currency, [fee]);
        }
      }
      balances.set(order.id, after);
      return { incidentId: plan.open.incidentId, written };
    });
    if (fees.length) {
      const written = new Map(
        (
          await insertEntries(
            manager,
            fees.map((fee) => fee.entry),
          )
        ).map((entry) => [entryKey(entry), entry]),
      );
      for (const fee of fees) {
        const entry = written.get(entryKey(fee.entry));
        if (entry) results[fee.plan]!.written.push(entry);
      }
    }
    return results;
  }
}

/** A fact to book: its order, its incident, its entries, and the source of a provider fee it may tip. */
interface Booking {
  orderId: string;
  /** `none`: nothing to book (a cancelled step), reported under this incident. */
  incident: OrderIncident | { none: string };
  derive: (open: OpenOrder, incidentId: string) => EntryDraft[];
  feeSource?: { type: LedgerSourceType; id: string };
  context?: Omit<EntryContext, 'incidentId'>;
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
