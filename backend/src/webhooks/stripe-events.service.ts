import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import type Stripe from 'stripe';
import { DataSource, type EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { GroupCommit, type BatchOutcome } from '../database/group-commit.js';
import { PreparedStatement } from '../database/prepared-statement.js';
import { retriedTransaction } from '../database/retried-transaction.js';
import { LedgerWriter } from '../ledger/ledger-writer.js';
import { LOGGER } from '../observability/observability.module.js';
import { stripeDisputeFee } from '../payments/stripe-disputes.js';
import { fromStripeAmount } from '../payments/stripe-amounts.js';
import { refundFailed, type RefundRecord } from '../payments/payment-provider.js';
import { toRecord } from '../payments/stripe-payments.js';
import { NoticeSender } from '../remediation/engine/notice-sender.js';
import { recordDispute, recordRefunds, type RefundChange } from '../remediation/engine/payment-records.js';
import { returning } from '../remediation/engine/step-store.js';
import { RunProgress } from '../remediation/run-progress.js';

/** A verified event as Stripe sends it (only the members we read are typed). */
export interface StripeEventInput {
  id: string;
  type: string;
  created: number;
  data: { object: Record<string, unknown> };
}

export const refundEvents = new Set(['refund.created', 'refund.updated', 'refund.failed', 'charge.refund.updated']);
export const disputeEvents = new Set([
  'charge.dispute.created',
  'charge.dispute.updated',
  'charge.dispute.closed',
  'charge.dispute.funds_withdrawn',
  'charge.dispute.funds_reinstated',
]);

/**
 * Events per transaction at most (beyond this one batch's locks would hold others back for long), and
 * batches at once: a batch mostly waits on PostgreSQL, and with one at a time the delivery of a
 * backlog was bound by that wait, not by CPU (the remediate bench: about 750 events/s at a third of
 * the machine). Two batches carrying one refund meet on its row, in id order, and wait, never deadlock.
 */
const batching = { maxBatch: 200, maxConcurrent: 3 };

/** Stores events not seen before (in id order); answers the ids stored now. */
const storeEvents = new PreparedStatement(`
  INSERT INTO provider_event (provider, event_id, type, payload)
  SELECT 'stripe', e.id, e.type, e.payload FROM unnest($1::text[], $2::text[], $3::jsonb[]) AS e(id, type, payload) ORDER BY e.id
  ON CONFLICT (provider, event_id) DO NOTHING RETURNING event_id`);

/** Refunds moved to a later state that stays live: their succeeded steps show the provider's state (in id order). */
const liveStepStates = new PreparedStatement(`
  UPDATE remediation_step s SET provider_status = v.status, updated_at = now()
    FROM (SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[]) AS v(id, refund_id, status) ORDER BY id) v
   WHERE s.id = v.id AND s.provider_ref = v.refund_id AND s.status = 'succeeded'`);

export interface EventReceipt {
  received: string;
  duplicate: boolean;
  /** What the event changed: `refund_failed` when a refund we had recorded as issued failed. */
  effect?: string;
}

/** What a batch leaves to do once it has committed. */
interface AfterCommit {
  followUps: string[];
  runs: Set<string>;
}

/**
 * Applies Stripe's events. Each event id is stored once (provider_event's
 * primary key): a re-delivery is acknowledged and changes nothing. Every
 * change merges forward (payment-records.ts), so events apply in any order.
 * A refund that fails after its step succeeded turns the step into
 * `failed`/`refund_failed` and, if the customer was already told it was
 * refunded, queues the one follow-up notice.
 *
 * Events that arrive together are applied together (GroupCommit): one
 * transaction for a batch of refund and other events, in the lock order of
 * the engine's chunks — refunds, orders, the ledger's order locks, steps, each
 * in id order. A dispute event goes alone (rare; it locks its order before
 * anything else). A batch the database refuses is applied event by event, so
 * one bad event fails only its own delivery.
 */
@Injectable()
export class StripeEventsService {
  private readonly logger: Logger;
  private readonly batches = new GroupCommit<StripeEventInput, EventReceipt>((events) => this.applyAll(events), batching);

  constructor(
    private readonly dataSource: DataSource,
    private readonly notices: NoticeSender,
    private readonly progress: RunProgress,
    private readonly config: AppConfig,
    private readonly ledger: LedgerWriter,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ component: 'stripe-webhook' });
  }

  /** The bytes each event came as, stored as they are (serialising the parsed event again cost as much as parsing it). */
  private readonly payloads = new WeakMap<StripeEventInput, string>();

  /** Applies a verified event; `payload` is its body as received, kept in the event log. */
  receive(event: StripeEventInput, payload?: string): Promise<EventReceipt> {
    if (payload) this.payloads.set(event, payload);
    return this.batches.submit(event);
  }

  private async applyAll(events: StripeEventInput[]): Promise<BatchOutcome<EventReceipt>[]> {
    const outcomes: BatchOutcome<EventReceipt>[] = new Array(events.length);
    const positions = events.map((_, i) => i);
    const together = positions.filter((i) => !disputeOf(events[i]!));
    const apart = positions.filter((i) => disputeOf(events[i]!));
    if (together.length > 1) {
      try {
        const receipts = await this.applyTogether(together.map((i) => events[i]!));
        together.forEach((i, j) => (outcomes[i] = { ok: receipts[j]! }));
      } catch {
        // Refused as a batch: each on its own, so the event the database refuses fails alone.
        apart.push(...together);
      }
    } else apart.push(...together);
    for (const i of apart.sort((a, b) => a - b)) {
      outcomes[i] = await this.applyTogether([events[i]!]).then(
        ([ok]) => ({ ok: ok! }),
        (error: unknown) => ({ error }),
      );
    }
    return outcomes;
  }

  /** Applies events in one transaction (run again after a deadlock), then what their changes made due. */
  private async applyTogether(events: StripeEventInput[]): Promise<EventReceipt[]> {
    const { receipts, after } = await retriedTransaction(this.dataSource, async (manager) => {
      const after: AfterCommit = { followUps: [], runs: new Set() };
      return { receipts: await this.apply(manager, events, after), after };
    });
    await this.notices.enqueue(after.followUps);
    for (const runId of after.runs) await this.progress.stepFinished(runId);
    for (const receipt of receipts) {
      if (receipt.effect) this.logger.info({ eventId: receipt.received, effect: receipt.effect }, 'stripe event applied');
    }
    return receipts;
  }

  private async apply(manager: EntityManager, events: StripeEventInput[], after: AfterCommit): Promise<EventReceipt[]> {
    // The first delivery of an id in this batch and not stored before is new; any other is a duplicate.
    const first = new Map<string, StripeEventInput>();
    for (const event of events) if (!first.has(event.id)) first.set(event.id, event);
    const unique = [...first.values()];
    const stored = new Set(
      (
        await storeEvents.run<{ event_id: string }>(manager, [
          unique.map((event) => event.id),
          unique.map((event) => event.type),
          unique.map((event) => this.payloads.get(event) ?? JSON.stringify(event)),
        ])
      ).map((row) => row.event_id),
    );
    const fresh = unique.filter((event) => stored.has(event.id));
    const effects = await this.applyRefunds(manager, fresh, after);
    for (const event of fresh) {
      const dispute = disputeOf(event);
      if (dispute) {
        const effect = await this.applyDispute(manager, dispute, event);
        if (effect) effects.set(event, effect);
      }
    }
    return events.map((event) => {
      const duplicate = first.get(event.id) !== event || !stored.has(event.id);
      const effect = duplicate ? undefined : effects.get(event);
      return { received: event.id, duplicate, ...(effect ? { effect } : {}) };
    });
  }

  /**
   * The refunds the events carry, merged into what we knew (one statement for all); each change is
   * the event's that brought it — the first carrying the refund at the state now recorded — and is
   * booked in the ledger (a refund made outside the tool too) and shown on its step. A refund that
   * failed re-opens its succeeded step and may owe the customer a follow-up.
   */
  private async applyRefunds(
    manager: EntityManager,
    events: StripeEventInput[],
    after: AfterCommit,
  ): Promise<Map<StripeEventInput, string>> {
    const effects = new Map<StripeEventInput, string>();
    const carried = events.flatMap((event) => refundsOf(event).map((refund) => ({ event, ...refund })));
    if (!carried.length) return effects;
    const changes = await recordRefunds(
      manager,
      carried.map(({ record }) => record),
    );
    const brought = new Map<string, (typeof carried)[number] & { change: RefundChange }>();
    for (const item of carried) {
      const change = changes.get(item.record.id)!;
      if (change.changed && item.record.status === change.after && !brought.has(item.record.id))
        brought.set(item.record.id, { ...item, change });
    }
    const changed = [...brought.values()];
    await this.ledger.recordRefunds(
      manager,
      changed
        .filter(({ change }) => change.orderId)
        .map(({ event, refund, record, change }) => ({
          orderId: change.orderId!,
          refund: { id: record.id, amountMinor: record.amountMinor, currency: record.currency, status: change.after },
          incidentId: refund.metadata?.incident_id ?? null,
          runId: refund.metadata?.run_id ?? null,
          stepId: change.stepId,
          eventId: event.id,
          occurredAt: new Date(event.created * 1000),
        })),
    );
    const live = changed.filter(({ change }) => change.stepId && !refundFailed(change.after));
    if (live.length) {
      await liveStepStates.run(manager, [
        live.map(({ change }) => change.stepId),
        live.map(({ record }) => record.id),
        live.map(({ change }) => change.after),
      ]);
    }
    for (const { event, refund, change } of changed) {
      const failed = change.stepId && refundFailed(change.after);
      effects.set(event, failed ? await this.reopenFailedStep(manager, refund, change, after) : `refund ${change.after}`);
    }
    return effects;
  }

  /** A refund of a succeeded step failed: the step fails (`refund_failed`) and the customer may be owed a follow-up. */
  private async reopenFailedStep(manager: EntityManager, refund: Stripe.Refund, change: RefundChange, after: AfterCommit): Promise<string> {
    // A step still in flight reads the merged status when it records its result; a succeeded one is re-opened here.
    const [step] = await returning<{ run_id: string }>(
      manager,
      `UPDATE remediation_step SET status = 'failed', provider_status = $3, error_code = 'refund_failed',
              error_message = $4, updated_at = now()
        WHERE id = $1 AND provider_ref = $2 AND status = 'succeeded' RETURNING run_id`,
      [
        change.stepId,
        refund.id,
        change.after,
        `The refund ${refund.id} ${change.after === 'canceled' ? 'was cancelled' : 'failed'} after it was issued${refund.failure_reason ? `: ${refund.failure_reason}` : ''}`,
      ],
    );
    if (step) after.runs.add(step.run_id);
    if (change.orderId) {
      const followUp = await NoticeSender.followUpRefundFailure(manager, refund.id, change.orderId, this.config.smtpFrom);
      if (followUp) after.followUps.push(followUp);
    }
    return 'refund_failed';
  }

  private async applyDispute(manager: EntityManager, dispute: Stripe.Dispute, event: StripeEventInput): Promise<string | undefined> {
    const chargeId = typeof dispute.charge === 'string' ? dispute.charge : dispute.charge.id;
    const paymentIntentId = typeof dispute.payment_intent === 'string' ? dispute.payment_intent : (dispute.payment_intent?.id ?? null);
    const currency = dispute.currency.toUpperCase();
    const amountMinor = fromStripeAmount(dispute.amount, currency);
    const { applied, orderId } = await recordDispute(manager, {
      id: dispute.id,
      chargeId,
      paymentIntentId,
      status: dispute.status,
      reason: dispute.reason ?? null,
      amountMinor,
      currency,
      eventCreated: event.created,
    });
    if (applied && orderId) {
      await this.ledger.recordDispute(manager, {
        orderId,
        dispute: { id: dispute.id, status: dispute.status, amountMinor, currency, feeMinor: stripeDisputeFee(dispute) },
        eventId: event.id,
        occurredAt: new Date(event.created * 1000),
      });
    }
    return applied ? `dispute ${dispute.status}` : undefined;
  }
}

/** A dispute event's dispute, or null. */
function disputeOf(event: StripeEventInput): Stripe.Dispute | null {
  const object = event.data.object;
  return disputeEvents.has(event.type) && object.object === 'dispute' ? (object as unknown as Stripe.Dispute) : null;
}

/** A refund as the event carries it, and as our record of it. */
interface EventRefund {
  refund: Stripe.Refund;
  record: RefundRecord;
}

/** The refunds an event carries: a refund event's object; `charge.refunded`'s list, when the API version includes it. */
function refundsOf(event: StripeEventInput): EventRefund[] {
  const object = event.data.object;
  let refunds: Stripe.Refund[] = [];
  if (refundEvents.has(event.type) && object.object === 'refund') refunds = [object as unknown as Stripe.Refund];
  else if (event.type === 'charge.refunded' && object.object === 'charge') {
    // Newer API versions leave the charge's refunds out; when present, each is applied like a refund event.
    refunds = ((object.refunds as { data?: Stripe.Refund[] } | undefined)?.data ?? []).filter((refund) => refund.object === 'refund');
  }
  return refunds.map((refund) => ({ refund, record: toRecord(refund) }));
}
