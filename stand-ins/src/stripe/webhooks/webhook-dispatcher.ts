import type { Logger } from '../../shared/log.js';
import type { EventDelivery } from '../events.js';
import type { StripeEvent } from '../state/objects.js';
import type { Store } from '../state/store.js';
import type { Faults } from '../traffic/faults.js';
import type { DeliveryStats } from './delivery-stats.js';
import { signatureHeader } from './signature.js';
import { describePostError, WebhookPoster } from './webhook-post.js';

interface Delivery {
  event: string;
  endpoint: string;
  /** 1-based number of this attempt. */
  attempt: number;
  /** A deliberate second copy of a delivered event (the duplicate knob): never retried, never recorded. */
  duplicate: boolean;
}

export interface DispatcherSettings {
  timeoutMs: number;
  /** POSTs in flight at once, across endpoints; the rest wait their turn. */
  maxInFlight: number;
}

/**
 * Signed webhook delivery, asynchronous from the API call that made the
 * event: every (event, endpoint) pair is POSTed as Stripe does — JSON body,
 * `Stripe-Signature`, a 2xx within the timeout is success, anything else
 * (another status, a redirect, a refused connection, a timeout) is a failure
 * retried with doubling delays until `webhookMaxAttempts`, then abandoned.
 * The fault knobs add duplicates, random delays and shuffled batches.
 * What is delivered or abandoned is journaled; what is still queued when the
 * process stops is sent again after the restart (so at least once, like Stripe).
 */
export class WebhookDispatcher implements EventDelivery {
  private readonly ready: Delivery[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private held: Delivery[] = [];
  private heldTimer: NodeJS.Timeout | undefined;
  private inFlight = 0;
  /** Aborted on stop and reset: an attempt that ends after it records nothing (the journal still has it queued). */
  private stopping = new AbortController();
  private readonly poster = new WebhookPoster();

  constructor(
    private readonly store: Store,
    private readonly faults: Faults,
    private readonly stats: DeliveryStats,
    private readonly logger: Logger,
    private readonly settings: DispatcherSettings,
  ) {}

  deliver(created: { event: StripeEvent; endpoints: string[] }[]): void {
    for (const { event, endpoints } of created) {
      for (const endpoint of endpoints) this.first({ event: event.id, endpoint, attempt: 1, duplicate: false });
    }
  }

  /** After a restart: everything the journal still shows as queued goes out again. */
  resume(): number {
    const queued = this.store.queuedDeliveries();
    for (const { event, endpoint } of queued) this.first({ event, endpoint, attempt: 1, duplicate: false });
    if (queued.length) this.logger.info('resuming webhook deliveries', { queued: queued.length });
    return queued.length;
  }

  /** Deliveries waiting (delayed, held, queued for a slot, or between retries) and in flight. */
  get backlog(): { waiting: number; inFlight: number } {
    return { waiting: this.timers.size + this.held.length + this.ready.length, inFlight: this.inFlight };
  }

  /** Stops everything: timers cleared, requests in flight aborted. The journal keeps what was not delivered. */
  stop(): void {
    this.stopping.abort();
    this.poster.abortAll();
    this.clearWaiting();
  }

  /** For /__stand-in/reset: drops what waits and carries on with a fresh slate. */
  reset(): void {
    this.stopping.abort();
    this.poster.abortAll();
    this.clearWaiting();
    this.stopping = new AbortController();
  }

  private clearWaiting(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.heldTimer = undefined;
    this.held = [];
    this.ready.length = 0;
  }

  /** A first attempt may be delayed and held back by the reorder knobs; retries are not. */
  private first(delivery: Delivery): void {
    const delay = this.faults.webhookDelayMs();
    if (delay > 0) this.later(delay, () => this.hold(delivery));
    else this.hold(delivery);
  }

  private hold(delivery: Delivery): void {
    const batch = this.faults.setting('webhookReorderBatch');
    if (batch <= 1) return this.enqueue(delivery);
    this.held.push(delivery);
    if (this.held.length >= batch) return this.releaseHeld();
    this.heldTimer ??= this.later(this.faults.setting('webhookReorderWindowMs'), () => this.releaseHeld());
  }

  private releaseHeld(): void {
    if (this.heldTimer) {
      clearTimeout(this.heldTimer);
      this.timers.delete(this.heldTimer);
      this.heldTimer = undefined;
    }
    for (const delivery of this.faults.shuffle(this.held.splice(0))) this.enqueue(delivery);
  }

  private enqueue(delivery: Delivery): void {
    this.ready.push(delivery);
    this.pump();
  }

  private pump(): void {
    while (this.inFlight < this.settings.maxInFlight && this.ready.length > 0) {
      const delivery = this.ready.shift()!;
      this.inFlight++;
      void this.attempt(delivery, this.stopping.signal)
        .catch((error: unknown) => this.logger.error('webhook attempt failed inside the stand-in', { error: String(error) }))
        .finally(() => {
          this.inFlight--;
          this.pump();
        });
    }
  }

  private async attempt(delivery: Delivery, stopping: AbortSignal): Promise<void> {
    const event = this.store.get('event', delivery.event);
    const endpoint = this.store.get('webhook_endpoint', delivery.endpoint);
    if (!event || !endpoint || endpoint.status !== 'enabled') {
      // Deleted or disabled endpoints get nothing more; an event past retention cannot be sent.
      if (!delivery.duplicate) this.finish(delivery, 'abandoned');
      return;
    }
    const payload = Buffer.from(
      JSON.stringify(
        // Rendered in the endpoint's API version if it chose one; pending_webhooks as of this attempt.
        { ...event, api_version: endpoint.api_version ?? event.api_version, pending_webhooks: this.store.pendingWebhooks(event.id) },
        null,
        2,
      ),
    );
    const started = performance.now();
    let status: number | null = null;
    let error: string | null = null;
    try {
      status = await this.poster.post(
        endpoint.url,
        {
          'Content-Type': 'application/json; charset=utf-8',
          Accept: '*/*; q=0.5, application/xml',
          'Cache-Control': 'no-cache',
          'User-Agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
          'Stripe-Signature': signatureHeader(payload, endpoint.secret, Math.floor(Date.now() / 1000)),
        },
        payload,
        this.settings.timeoutMs,
      );
    } catch (thrown) {
      error = describePostError(thrown);
    }
    if (stopping.aborted) return; // stopping or reset: the journal still has it queued
    const ok = status !== null && status >= 200 && status < 300;
    this.stats.log({
      at: new Date().toISOString(),
      event: event.id,
      type: event.type,
      endpoint: endpoint.id,
      url: endpoint.url,
      attempt: delivery.attempt,
      duplicate: delivery.duplicate,
      status,
      error,
      ms: Math.round(performance.now() - started),
    });
    this.logger.debug('webhook attempt', {
      event: event.id,
      type: event.type,
      endpoint: endpoint.id,
      attempt: delivery.attempt,
      status,
      error,
    });
    if (delivery.duplicate) return;
    if (ok) {
      this.finish(delivery, 'delivered');
      if (this.faults.duplicateWebhook()) this.later(this.faults.webhookDelayMs(), () => this.enqueue({ ...delivery, duplicate: true }));
      return;
    }
    if (delivery.attempt >= this.faults.setting('webhookMaxAttempts')) {
      this.logger.warn('webhook delivery abandoned', {
        event: event.id,
        type: event.type,
        endpoint: endpoint.id,
        attempts: delivery.attempt,
      });
      this.finish(delivery, 'abandoned');
      return;
    }
    this.stats.retriesScheduled++;
    const delay = Math.min(this.faults.setting('webhookRetryBaseMs') * 2 ** (delivery.attempt - 1), 60 * 60_000);
    this.later(delay, () => this.enqueue({ ...delivery, attempt: delivery.attempt + 1 }));
  }

  private finish(delivery: Delivery, outcome: 'delivered' | 'abandoned'): void {
    if (outcome === 'abandoned') this.stats.abandoned++;
    this.store.recordDelivery({ event: delivery.event, endpoint: delivery.endpoint, outcome });
  }

  private later(ms: number, run: () => void): NodeJS.Timeout {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
    }, ms);
    this.timers.add(timer);
    return timer;
  }
}
