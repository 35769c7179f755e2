import type { AnyObject } from './state/objects.js';

/**
 * The one place where Stripe events (`charge.refunded`, `refund.created`, …)
 * leave the stand-in. Resources announce them on the request's Change; they
 * reach the sink only after the change is committed, as Stripe only sends
 * events for what happened. Signed webhook delivery is a sink to add here.
 */
export interface StandInEvent {
  type: string;
  object: AnyObject;
}

export interface EventSink {
  emit(event: StandInEvent): void;
}

/** Until webhooks exist: count what would have been sent (shown in /__stand-in/stats). */
export class CountingEventSink implements EventSink {
  readonly countsByType: Record<string, number> = {};

  emit(event: StandInEvent): void {
    this.countsByType[event.type] = (this.countsByType[event.type] ?? 0) + 1;
  }

  reset(): void {
    for (const type of Object.keys(this.countsByType)) delete this.countsByType[type];
  }
}
