import type { Logger } from '../../shared/log.js';
import type { Charge, Refund, StripeEvent } from '../state/objects.js';
import type { Change, Store } from '../state/store.js';
import { failRefund } from './refund-failures.js';

/**
 * Stripe's test card 4000 0000 0000 5126 (`pm_card_refundFail`): the charge
 * succeeds, a refund of it starts `succeeded`, and some time later fails with
 * `expired_or_canceled_card`. Here "later" is REFUND_FAIL_DELAY_MS after the
 * refund was made; a refund still due to fail when the stand-in restarts fails
 * after the restart, so the test card keeps its promise across restarts.
 */
export class RefundFailCard {
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly store: Store,
    private readonly commitOutsideApi: (work: (change: Change) => void) => void,
    private readonly delayMs: number,
    private readonly logger: Logger,
  ) {}

  /** Called with every batch of committed events: new refunds of the card are scheduled to fail. */
  notice(events: StripeEvent[]): void {
    for (const event of events) {
      if (event.type !== 'refund.created') continue;
      const refund = event.data.object as Refund;
      if (this.isRefundFailCharge(this.store.get('charge', refund.charge))) this.schedule(refund.id, this.delayMs);
    }
  }

  resume(): void {
    for (const refund of this.store.list('refund')) {
      if (refund.status !== 'succeeded' || !this.isRefundFailCharge(this.store.get('charge', refund.charge))) continue;
      this.schedule(refund.id, Math.max(0, refund.created * 1000 + this.delayMs - Date.now()));
    }
  }

  stop(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private isRefundFailCharge(charge: Charge | undefined): boolean {
    const card = charge?.payment_method_details.card;
    return card?.brand === 'visa' && card.last4 === '5126';
  }

  private schedule(refundId: string, ms: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      // It may have failed through the control API meanwhile, or the store was reset.
      if (this.store.get('refund', refundId)?.status !== 'succeeded') return;
      this.commitOutsideApi((change) => failRefund(this.store, change, refundId, 'expired_or_canceled_card'));
      this.logger.info('refund failed as its test card does', { refund: refundId });
    }, ms);
    this.timers.add(timer);
  }
}
