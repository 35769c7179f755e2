import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../shared/log.js';
import { BodyTooLargeError, readBody } from '../shared/read-body.js';
import { sleep } from '../shared/sleep.js';
import { defaultApiVersion } from './api-version.js';
import type { StandInConfig } from './config.js';
import { handleControl } from './control/control-api.js';
import { RequestStats } from '../shared/request-stats.js';
import { apiError, rateLimited, unrecognizedUrl } from './errors/errors.js';
import { StripeError } from './errors/stripe-error.js';
import { RefundFailCard } from './bank/refund-fail-card.js';
import { Events, outsideTheApi, type EventRequest } from './events.js';
import { authenticate } from './http/api-key.js';
import { parseFormParams, type ParamMap } from './http/form-params.js';
import { sendJson } from '../shared/send-json.js';
import { IdempotencyKeys, type IdempotencyDecision } from './idempotency/idempotency-keys.js';
import { newRequestId } from './ids.js';
import { matchRoute } from './routes.js';
import { Store, type Change, type IdempotencyRecord } from './state/store.js';
import { Faults } from './traffic/faults.js';
import { DeliveryStats } from './webhooks/delivery-stats.js';
import { WebhookDispatcher } from './webhooks/webhook-dispatcher.js';

export interface StripeStandIn {
  server: Server;
  store: Store;
  listen(): Promise<number>;
  close(): Promise<void>;
}

/**
 * The Stripe stand-in: every API request goes through the same steps as on
 * Stripe, in this order — API key, rate limit, route, idempotency key (held
 * from here on), latency, injected 500, the endpoint and its commit (with
 * the events it made), injected connection reset, answer. Webhooks for those
 * events go out afterwards, on their own (webhooks/webhook-dispatcher.ts).
 */
export function createStripeStandIn(config: StandInConfig, logger: Logger): StripeStandIn {
  const store = Store.open(config.dataFile, config.idempotencyTtlMs, logger, config.eventRetention);
  const faults = new Faults({
    error5xxRate: 0,
    resetAfterCommitRate: 0,
    latencyMs: config.latencyMs,
    rateLimitRps: config.rateLimitRps,
    seed: config.faultSeed,
    webhookDuplicateRate: 0,
    webhookReorderBatch: 0,
    webhookReorderWindowMs: 1_000,
    webhookDelayMaxMs: 0,
    webhookMaxAttempts: config.webhookMaxAttempts,
    webhookRetryBaseMs: config.webhookRetryBaseMs,
  });
  const stats = new RequestStats();
  const deliveryStats = new DeliveryStats();
  const dispatcher = new WebhookDispatcher(store, faults, deliveryStats, logger, { timeoutMs: config.webhookTimeoutMs, maxInFlight: 32 });
  const events = new Events(store, dispatcher);
  const idempotency = new IdempotencyKeys(store);

  /** Commits a change with its events; refunds of the refund-fail test card are then scheduled to fail. */
  const commit = (change: Change, request: EventRequest, record?: IdempotencyRecord) => {
    const created = events.commit(change, request, Math.floor(Date.now() / 1000), record);
    refundFailCard.notice(created);
  };
  /** What the card network does (a refund failing, a dispute): no API request, so no `event.request`. */
  const commitOutsideApi = <T>(work: (change: Change, now: number) => T): T => {
    const change = store.begin();
    const result = work(change, Math.floor(Date.now() / 1000));
    commit(change, outsideTheApi);
    return result;
  };
  const refundFailCard = new RefundFailCard(store, commitOutsideApi, config.refundFailDelayMs, logger);
  const controlDeps = {
    store,
    faults,
    stats,
    events,
    deliveryStats,
    dispatcher,
    idempotency,
    commitOutsideApi,
    allowReset: config.allowReset,
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      logger.error('request failed inside the stand-in', { error: error instanceof Error ? error.stack : String(error) });
      if (!res.headersSent) sendJson(res, 500, apiError().toEnvelope('req_internal'));
      else res.destroy();
    });
  });
  // Longer than any client's idle keep-alive, so the server never closes a socket a client is about to reuse.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = newRequestId();
    res.setHeader('Request-Id', requestId);
    const url = new URL(req.url ?? '/', 'http://stand-in');
    if (url.pathname.startsWith('/__stand-in/')) return handleControl(req, res, url, controlDeps);
    const started = performance.now();
    const outcome = await serveApi(req, res, url, requestId);
    stats.count(outcome);
    logger.debug('request', {
      method: req.method,
      path: url.pathname,
      status: outcome,
      ms: Math.round(performance.now() - started),
      requestId,
      idempotencyKey: req.headers['idempotency-key'],
    });
  }

  async function serveApi(req: IncomingMessage, res: ServerResponse, url: URL, requestId: string): Promise<number | 'reset'> {
    const method = req.method ?? 'GET';
    res.setHeader('Stripe-Version', headerValue(req, 'stripe-version') ?? defaultApiVersion);
    const fail = (error: StripeError) => {
      sendJson(res, error.statusCode, error.toEnvelope(requestId));
      return error.statusCode;
    };

    let apiKey: string;
    try {
      apiKey = authenticate(req.headers.authorization, config.secretKey);
    } catch (error) {
      return fail(error as StripeError);
    }
    if (!faults.admit()) return fail(rateLimited());

    let params: ParamMap;
    try {
      params = parseFormParams(method === 'POST' ? await readBody(req) : url.search.slice(1));
    } catch (error) {
      if (error instanceof BodyTooLargeError)
        return fail(new StripeError({ statusCode: 413, type: 'invalid_request_error', message: error.message }));
      throw error;
    }
    const route = matchRoute(method, url.pathname);
    if (!route) return fail(unrecognizedUrl(method, url.pathname));

    // Stripe ignores Idempotency-Key on GET: reading is idempotent anyway.
    const key = method === 'POST' ? headerValue(req, 'idempotency-key') : undefined;
    let decision: IdempotencyDecision | undefined;
    if (key) {
      try {
        decision = idempotency.begin(apiKey, key, method, url.pathname, params);
      } catch (error) {
        return fail(error as StripeError);
      }
      res.setHeader('Idempotency-Key', key);
    }

    try {
      if (faults.latencyMs > 0) await sleep(faults.latencyMs);
      if (faults.inject5xx()) {
        stats.injected5xx++;
        return fail(apiError());
      }
      let answer: { status: number; body: string };
      if (decision?.kind === 'replay') {
        stats.idempotentReplays++;
        res.setHeader('Idempotent-Replayed', 'true');
        res.setHeader('Original-Request', decision.record.requestId);
        answer = decision.record;
      } else {
        answer = execute(route, params, requestId, decision, key);
      }
      if (method === 'POST' && faults.resetAfterCommit()) {
        // The change is committed (and saved under the key); the client never hears of it.
        stats.injectedResets++;
        res.socket?.destroy();
        return 'reset';
      }
      sendJson(res, answer.status, answer.body);
      return answer.status;
    } finally {
      if (decision) idempotency.release(decision);
    }
  }

  /** Runs the endpoint and commits its change and idempotent result as one journal line. */
  function execute(
    route: NonNullable<ReturnType<typeof matchRoute>>,
    params: ParamMap,
    requestId: string,
    decision: IdempotencyDecision | undefined,
    idempotencyKey: string | undefined,
  ): { status: number; body: string } {
    const change = store.begin();
    let status = 200;
    let body: unknown;
    let saved = true;
    try {
      body = route.endpoint({ params, pathParams: route.pathParams, store, change, now: Math.floor(Date.now() / 1000) });
    } catch (thrown) {
      let error = thrown;
      if (!(error instanceof StripeError)) {
        // A bug in the stand-in. Stripe saves a 500 once the endpoint has begun, so this one is saved too.
        logger.error('endpoint threw', { error: error instanceof Error ? error.stack : String(error), requestId });
        error = new StripeError({ statusCode: 500, type: 'api_error', message: 'An unknown error occurred' });
      }
      const stripeError = error as StripeError;
      status = stripeError.statusCode;
      body = stripeError.toEnvelope(requestId);
      saved = stripeError.storedForIdempotency;
    }
    const text = JSON.stringify(body);
    const record = decision?.kind === 'fresh' && saved ? idempotency.recordFor(decision, status, text, requestId) : undefined;
    commit(change, { id: requestId, idempotency_key: idempotencyKey ?? null }, record);
    return { status, body: text };
  }

  return {
    server,
    store,
    listen: () =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.port, config.host, () => {
          // Only once listening: what was pending before a restart goes out now.
          dispatcher.resume();
          refundFailCard.resume();
          resolve((server.address() as AddressInfo).port);
        });
      }),
    close: () =>
      new Promise((resolve) => {
        // Undelivered webhooks stay queued in the journal and go out after the next start.
        dispatcher.stop();
        refundFailCard.stop();
        // Finish requests in flight; idle keep-alive sockets close now, stragglers after 10 s.
        server.close(() => resolve());
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 10_000).unref();
      }),
  };
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
