import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody } from '../../shared/read-body.js';
import type { CountingEventSink } from '../events.js';
import { parseFormParams, type ParamMap } from '../http/form-params.js';
import { sendJson as sendApiJson } from '../http/send-json.js';
import type { IdempotencyKeys } from '../idempotency/idempotency-keys.js';
import type { Store } from '../state/store.js';
import { FaultSettingsError, type Faults } from '../traffic/faults.js';
import { refundReport } from './refund-report.js';
import type { RequestStats } from './request-stats.js';

export interface ControlDeps {
  store: Store;
  faults: Faults;
  stats: RequestStats;
  events: CountingEventSink;
  idempotency: IdempotencyKeys;
  allowReset: boolean;
}

/** People read these with curl: indented. */
const sendJson = (res: ServerResponse, status: number, body: unknown) => sendApiJson(res, status, body, true);

/**
 * `/__stand-in/*`: the test and bench controls, outside Stripe's API (no API
 * key, no rate limit, no faults). Plain JSON in and out.
 */
export async function handleControl(req: IncomingMessage, res: ServerResponse, url: URL, deps: ControlDeps): Promise<void> {
  const route = `${req.method} ${url.pathname.replace(/\/+$/, '')}`;
  switch (route) {
    case 'GET /__stand-in/health':
      return sendJson(res, 200, { ok: true, service: 'stripe', pid: process.pid });
    case 'GET /__stand-in/faults':
      return sendJson(res, 200, deps.faults.current);
    case 'POST /__stand-in/faults':
      try {
        return sendJson(res, 200, deps.faults.update(await readJson(req)));
      } catch (error) {
        if (error instanceof FaultSettingsError || error instanceof SyntaxError) return sendJson(res, 400, { error: error.message });
        throw error;
      }
    case 'DELETE /__stand-in/faults':
      return sendJson(res, 200, deps.faults.restoreDefaults());
    case 'GET /__stand-in/stats':
      return sendJson(res, 200, stats(deps));
    case 'GET /__stand-in/refunds':
      return sendJson(res, 200, refunds(deps.store, parseFormParams(url.search.slice(1))));
    case 'POST /__stand-in/reset':
      if (!deps.allowReset) return sendJson(res, 403, { error: 'Reset is disabled; start the stand-in with ALLOW_RESET=1 to allow it.' });
      deps.store.reset();
      deps.stats.clear();
      deps.events.reset();
      deps.faults.restoreDefaults();
      return sendJson(res, 200, { ok: true });
    default:
      return sendJson(res, 404, {
        error: `No control endpoint ${route}. Known: GET /__stand-in/health, GET|POST|DELETE /__stand-in/faults, GET /__stand-in/stats, GET /__stand-in/refunds, POST /__stand-in/reset`,
      });
  }
}

function stats({ store, stats, events, idempotency, faults }: ControlDeps) {
  return {
    requests: {
      total: stats.total,
      byStatus: stats.byStatus,
      rateLimited: stats.rateLimited,
      injected5xx: stats.injected5xx,
      injectedResets: stats.injectedResets,
      idempotentReplays: stats.idempotentReplays,
      idempotencyKeysInFlight: idempotency.inFlightCount,
    },
    objects: store.counts(),
    ...refundReport(store),
    events: events.countsByType,
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

async function readJson(req: IncomingMessage): Promise<unknown> {
  const text = await readBody(req);
  return text.trim() === '' ? {} : JSON.parse(text);
}
