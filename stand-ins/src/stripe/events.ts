import { defaultApiVersion } from './api-version.js';
import { newId } from './ids.js';
import type { StripeEvent } from './state/objects.js';
import type { Change, IdempotencyRecord, Store } from './state/store.js';

/**
 * The one place where Stripe events (`charge.refunded`, `refund.created`, …)
 * are made. Resources announce them on their Change; here each announcement
 * becomes an `event` object in the same change — so it is journaled with what
 * it describes, listed by GET /v1/events, and queued for every enabled
 * endpoint subscribed to its type — and is handed to webhook delivery only
 * after the change is committed: Stripe only tells of what happened.
 */

/** Stripe's `event.request`: the API call that caused the event, or nulls for what happened outside the API. */
export interface EventRequest {
  id: string | null;
  idempotency_key: string | null;
}

export const outsideTheApi: EventRequest = { id: null, idempotency_key: null };

/** Where committed events go next: the webhook dispatcher. */
export interface EventDelivery {
  deliver(created: { event: StripeEvent; endpoints: string[] }[]): void;
}

export class Events {
  /** Every event made since start (or reset), by type, for /__stand-in/stats. */
  readonly countsByType: Record<string, number> = {};

  constructor(
    private readonly store: Store,
    private readonly delivery: EventDelivery,
  ) {}

  /** Makes the change's events, commits everything as one journal line, then starts delivery. */
  commit(change: Change, request: EventRequest, now: number, idempotency?: IdempotencyRecord): StripeEvent[] {
    const created = this.record(change, request, now);
    this.store.commit(change, idempotency);
    for (const { event } of created) this.countsByType[event.type] = (this.countsByType[event.type] ?? 0) + 1;
    this.delivery.deliver(created);
    return created.map(({ event }) => event);
  }

  reset(): void {
    for (const type of Object.keys(this.countsByType)) delete this.countsByType[type];
  }

  private record(change: Change, request: EventRequest, now: number) {
    if (change.announcements.length === 0) return [];
    // Oldest endpoint first, so deliveries go out in a stable order.
    const endpoints = this.store.list('webhook_endpoint').reverse();
    return change.announcements.map(({ type, object, previousAttributes }) => {
      const subscribed = endpoints
        .filter(
          (endpoint) => endpoint.status === 'enabled' && (endpoint.enabled_events.includes('*') || endpoint.enabled_events.includes(type)),
        )
        .map((endpoint) => endpoint.id);
      const event = change.put('event', {
        id: newId('evt'),
        object: 'event',
        api_version: defaultApiVersion,
        created: now,
        // Stored objects are replaced, never changed in place, so this is the object as of the event.
        data: { object, ...(previousAttributes ? { previous_attributes: previousAttributes } : {}) },
        livemode: false,
        pending_webhooks: subscribed.length,
        request,
        type,
      });
      for (const endpoint of subscribed) change.queueDelivery(event.id, endpoint);
      return { event, endpoints: subscribed };
    });
  }
}
