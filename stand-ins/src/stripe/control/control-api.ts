import type { IncomingMessage, ServerResponse } from 'node:http';
import { controlRoute, handleCommonControl, readJson, sendControlJson as sendJson } from '../../shared/control-api.js';
import { closeDispute, disputeReasons, openDispute } from '../bank/disputes.js';
import { failRefund, refundFailureReasons } from '../bank/refund-failures.js';
import type { Events } from '../events.js';
import { parseFormParams, type ParamMap } from '../http/form-params.js';
import type { IdempotencyKeys } from '../idempotency/idempotency-keys.js';
import type { Change, Store } from '../state/store.js';
import type { Faults } from '../traffic/faults.js';
import type { DeliveryStats } from '../webhooks/delivery-stats.js';
import type { WebhookDispatcher } from '../webhooks/webhook-dispatcher.js';
import { ControlError } from './control-error.js';
import { refundReport } from './refund-report.js';
import type { RequestStats } from '../../shared/request-stats.js';

export interface ControlDeps {
  store: Store;
  faults: Faults;
  stats: RequestStats;
  events: Events;
  deliveryStats: DeliveryStats;
  dispatcher: WebhookDispatcher;
  idempotency: IdempotencyKeys;
  /** Commits what the card network does, with its events (server.ts). */
  commitOutsideApi: <T>(work: (change: Change, now: number) => T) => T;
  allowReset: boolean;
}

const known = [
  'GET /__stand-in/health',
  'GET|POST|DELETE /__stand-in/faults',
  'GET /__stand-in/stats',
  'GET /__stand-in/refunds',
  'GET /__stand-in/webhook-attempts',
  'POST /__stand-in/refunds/:id/fail',
  'POST /__stand-in/charges/:id/dispute',
  'POST /__stand-in/charges/:id/dispute/close',
  'POST /__stand-in/reset',
];

/**
 * `/__stand-in/*`: the controls every stand-in has (shared/control-api.ts),
 * and Stripe's own: raw refunds, webhook attempts, and what the card network does.
 */
export async function handleControl(req: IncomingMessage, res: ServerResponse, url: URL, deps: ControlDeps): Promise<void> {
  const route = controlRoute(req, url);
  try {
    const action = await networkAction(req, route, deps);
    if (action) return sendJson(res, 200, action);
  } catch (error) {
    if (error instanceof ControlError) return sendJson(res, error.status, { error: error.message });
    if (error instanceof SyntaxError) return sendJson(res, 400, { error: `Send a JSON object: ${error.message}` });
    throw error;
  }
  switch (route) {
    case 'GET /__stand-in/refunds':
      return sendJson(res, 200, refunds(deps.store, parseFormParams(url.search.slice(1))));
    case 'GET /__stand-in/webhook-attempts': {
      const query = url.searchParams;
      const limit = Number(query.get('limit') ?? 100);
      const attempts = deps.deliveryStats.latest({
        event: query.get('event') ?? undefined,
        endpoint: query.get('endpoint') ?? undefined,
        limit: Number.isSafeInteger(limit) && limit > 0 ? limit : 100,
      });
      return sendJson(res, 200, { count: attempts.length, data: attempts });
    }
    default:
      return handleCommonControl(req, res, route, {
        service: 'stripe',
        faults: deps.faults,
        stats: () => stats(deps),
        allowReset: deps.allowReset,
        reset: () => {
          deps.dispatcher.reset();
          deps.store.reset();
          deps.stats.clear();
          deps.deliveryStats.clear();
          deps.events.reset();
        },
        known,
      });
  }
}

/**
 * What the card network does on its own schedule, played on demand:
 * `POST /__stand-in/refunds/:id/fail` {failure_reason?},
 * `POST /__stand-in/charges/:id/dispute` {reason?, amount?},
 * `POST /__stand-in/charges/:id/dispute/close` {outcome: won|lost}.
 * Each answers the changed object; its events go out as webhooks.
 */
async function networkAction(req: IncomingMessage, route: string, deps: ControlDeps): Promise<unknown> {
  const failRefundRoute = route.match(/^POST \/__stand-in\/refunds\/([^/]+)\/fail$/);
  const disputeRoute = route.match(/^POST \/__stand-in\/charges\/([^/]+)\/dispute(\/close)?$/);
  if (!failRefundRoute && !disputeRoute) return undefined;
  const body = await readJson(req);
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new ControlError(400, 'Send a JSON object');
  const input = body as Record<string, unknown>;

  if (failRefundRoute) {
    const refundId = decodeURIComponent(failRefundRoute[1]!);
    const reason = oneOf(input.failure_reason ?? 'expired_or_canceled_card', refundFailureReasons, 'failure_reason');
    return deps.commitOutsideApi((change) => failRefund(deps.store, change, refundId, reason));
  }
  const chargeId = decodeURIComponent(disputeRoute![1]!);
  if (disputeRoute![2]) {
    const outcome = oneOf(input.outcome, ['won', 'lost'] as const, 'outcome');
    return deps.commitOutsideApi((change, now) => closeDispute(deps.store, change, chargeId, outcome, now));
  }
  const reason = oneOf(input.reason ?? 'fraudulent', disputeReasons, 'reason');
  if (input.amount !== undefined && typeof input.amount !== 'number') throw new ControlError(400, 'amount must be a whole number');
  const amount = input.amount as number | undefined;
  return deps.commitOutsideApi((change, now) => openDispute(deps.store, change, chargeId, { reason, amount }, now));
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], name: string): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new ControlError(400, `${name} must be one of ${allowed.join(', ')}`);
  }
  return value as T;
}

function stats({ store, stats, events, idempotency, faults, deliveryStats, dispatcher }: ControlDeps) {
  return {
    requests: { ...stats.summary(), idempotencyKeysInFlight: idempotency.inFlightCount },
    objects: store.counts(),
    ...refundReport(store),
    events: events.countsByType,
    webhooks: {
      endpoints: store.counts().webhook_endpoint,
      attempts: deliveryStats.attempts,
      delivered: deliveryStats.delivered,
      failedAttempts: deliveryStats.failedAttempts,
      retriesScheduled: deliveryStats.retriesScheduled,
      abandoned: deliveryStats.abandoned,
      duplicatesSent: deliveryStats.duplicatesSent,
      queued: store.queuedDeliveries().length,
      ...dispatcher.backlog,
    },
    faults: faults.current,
  };
}

/** Raw refunds, oldest first, filtered by `metadata[key]=value`, `charge` and `payment_intent`. */
function refunds(store: Store, query: ParamMap) {
  const metadata = typeof query.metadata === 'object' && !Array.isArray(query.metadata) ? query.metadata : {};
  const data = store
    .list('refund')
    .reverse()
    .filter(
      (refund) =>
        Object.entries(metadata).every(([key, value]) => refund.metadata[key] === value) &&
        (typeof query.charge !== 'string' || refund.charge === query.charge) &&
        (typeof query.payment_intent !== 'string' || refund.payment_intent === query.payment_intent),
    );
  return { count: data.length, data };
}
