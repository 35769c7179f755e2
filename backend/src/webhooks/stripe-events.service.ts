import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import type Stripe from 'stripe';
import { DataSource, type EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { PreparedStatement } from '../database/prepared-statement.js';
import { LedgerWriter } from '../ledger/ledger-writer.js';
import { LOGGER } from '../observability/observability.module.js';
import { stripeDisputeFee } from '../payments/stripe-disputes.js';
import { fromStripeAmount } from '../payments/stripe-amounts.js';
import { refundFailed, type RefundRecord } from '../payments/payment-provider.js';
import { toRecord } from '../payments/stripe-payments.js';
import { NoticeSender } from '../remediation/engine/notice-sender.js';
import { recordDispute, recordRefund, refundRank, refundRankOf } from '../remediation/engine/payment-records.js';
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
 * The common case in one statement: an event whose refunds ($4 ids, at $5 ranks) are all known
 * already at that state or a later one (the refund step, or the refund's other event, recorded it)
 * changes nothing but the event log, so it is stored and done. Without locks: a known refund's
 * state only moves forward, so what this snapshot shows stays true. Otherwise nothing is stored
 * and the event takes the full path.
 */
const storeIfNothingNew = new PreparedStatement(`
  WITH stored AS (
    INSERT INTO provider_event (provider, event_id, type, payload)
    SELECT 'stripe', $1, $2, $3
     WHERE NOT EXISTS (SELECT 1 FROM unnest($4::text[], $5::int[]) AS i(id, rank) LEFT JOIN payment_refund p ON p.id = i.id
                        WHERE p.id IS NULL OR ${refundRankOf('p.status')} < i.rank)
    ON CONFLICT (provider, event_id) DO NOTHING RETURNING event_id)
  SELECT EXISTS (SELECT 1 FROM stored) AS stored`);

export interface EventReceipt {
  received: string;
  duplicate: boolean;
  /** What the event changed: `refund_failed` when a refund we had recorded as issued failed. */
  effect?: string;
}

/**
 * Applies Stripe's events. Each event id is stored once (provider_event's
 * primary key): a re-delivery is acknowledged and changes nothing. Every
 * change merges forward (payment-records.ts), so events apply in any order.
 * A refund that fails after its step succeeded turns the step into
 * `failed`/`refund_failed` and, if the customer was already told it was
 * refunded, queues the one follow-up notice.
 */
@Injectable()
export class StripeEventsService {
  private readonly logger: Logger;

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

  async receive(event: StripeEventInput): Promise<EventReceipt> {
    const object = event.data.object;
    const dispute = disputeEvents.has(event.type) && object.object === 'dispute' ? (object as unknown as Stripe.Dispute) : null;
    const refunds = refundsOf(event);
    const payload = JSON.stringify(event);
    if (!dispute) {
      const [fast] = await storeIfNothingNew.run<{ stored: boolean }>(this.dataSource, [
        event.id,
        event.type,
        payload,
        refunds.map(({ record }) => record.id),
        refunds.map(({ record }) => refundRank[record.status]),
      ]);
      if (fast?.stored) return { received: event.id, duplicate: false };
    }
    const followUps: string[] = [];
    const runs = new Set<string>();
    const receipt = await this.dataSource.transaction(async (manager): Promise<EventReceipt> => {
      const stored = await manager.query(
        `INSERT INTO provider_event (provider, event_id, type, payload) VALUES ('stripe', $1, $2, $3)
         ON CONFLICT (provider, event_id) DO NOTHING RETURNING event_id`,
        [event.id, event.type, payload],
      );
      if (stored.length === 0) return { received: event.id, duplicate: true };
      let effect: string | undefined;
      for (const refund of refunds) effect = (await this.applyRefund(manager, refund, followUps, runs, event)) ?? effect;
      if (dispute) effect = await this.applyDispute(manager, dispute, event);
      return { received: event.id, duplicate: false, ...(effect ? { effect } : {}) };
    });
    // After the commit: what the change made due.
    await this.notices.enqueue(followUps);
    for (const runId of runs) await this.progress.stepFinished(runId);
    if (receipt.effect) this.logger.info({ eventId: event.id, type: event.type, effect: receipt.effect }, 'stripe event applied');
    return receipt;
  }

  private async applyRefund(
    manager: EntityManager,
    { refund, record }: EventRefund,
    followUps: string[],
    runs: Set<string>,
    event: StripeEventInput,
  ): Promise<string | undefined> {
    const change = await recordRefund(manager, record);
    if (!change.changed) return undefined;
    // In this transaction, as every ledger entry; a refund made outside the tool is booked too.
    if (change.orderId) {
      await this.ledger.recordRefund(manager, {
        orderId: change.orderId,
        refund: { id: record.id, amountMinor: record.amountMinor, currency: record.currency, status: change.after },
        incidentId: refund.metadata?.incident_id ?? null,
        runId: refund.metadata?.run_id ?? null,
        stepId: change.stepId,
        eventId: event.id,
        occurredAt: new Date(event.created * 1000),
      });
    }
    if (!change.stepId) return `refund ${change.after}`;
    if (!refundFailed(change.after)) {
      await manager.query(
        `UPDATE remediation_step SET provider_status = $3, updated_at = now() WHERE id = $1 AND provider_ref = $2 AND status = 'succeeded'`,
        [change.stepId, refund.id, change.after],
      );
      return `refund ${change.after}`;
    }
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
    if (step) runs.add(step.run_id);
    if (change.orderId) {
      const followUp = await NoticeSender.followUpRefundFailure(manager, refund.id, change.orderId, this.config.smtpFrom);
      if (followUp) followUps.push(followUp);
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

/** A refund as the event carries it, and as our record of it (read once: the fast path and the full path both use it). */
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
