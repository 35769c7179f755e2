import { headerValue, type ApiSteps, type Answer } from '../shared/api-request.js';
import { createApiServer, type ApiServer } from '../shared/api-server.js';
import type { Logger } from '../shared/log.js';
import { readBody } from '../shared/read-body.js';
import { RequestStats } from '../shared/request-stats.js';
import { defaultApiVersion } from './api-version.js';
import type { StandInConfig } from './config.js';
import { handleControl } from './control/control-api.js';
import { apiError, rateLimited, unrecognizedUrl } from './errors/errors.js';
import { StripeError } from './errors/stripe-error.js';
import { RefundFailCard } from './bank/refund-fail-card.js';
import { Events, outsideTheApi, type EventRequest } from './events.js';
import { authenticate } from './http/api-key.js';
import { parseFormParams, type ParamMap } from './http/form-params.js';
import { IdempotencyKeys, type IdempotencyDecision } from './idempotency/idempotency-keys.js';
import { newRequestId } from './ids.js';
import { matchRoute } from './routes.js';
import { Store, type Change, type IdempotencyRecord } from './state/store.js';
import { Faults } from './traffic/faults.js';
import { DeliveryStats } from './webhooks/delivery-stats.js';
import { WebhookDispatcher } from './webhooks/webhook-dispatcher.js';

export interface StripeStandIn extends ApiServer {
  store: Store;
}

type Route = NonNullable<ReturnType<typeof matchRoute>>;

/**
 * The Stripe stand-in: every API request goes through the steps every
 * stand-in takes (shared/api-request.ts) with Stripe's parts: form-encoded
 * parameters, Stripe's errors, a Request-Id on every answer. The endpoint's
 * commit makes events; webhooks for them go out afterwards, on their own
 * (webhooks/webhook-dispatcher.ts).
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

  /** Stripe's parts of one API request; its Request-Id goes into every error and the journal. */
  const stripeSteps = (requestId: string): ApiSteps<StripeError, ParamMap, Route, IdempotencyDecision> => ({
    isError: (thrown) => thrown instanceof StripeError,
    answerFor: (error) => ({ status: error.statusCode, body: error.toEnvelope(requestId) }),
    answerHeaders: (req) => ({ 'Stripe-Version': headerValue(req, 'stripe-version') ?? defaultApiVersion }),
    authenticate: (req) => authenticate(headerValue(req, 'authorization'), config.secretKey),
    rateLimited: () => ({ error: rateLimited() }),
    readParams: async (req, url) => parseFormParams(req.method === 'POST' ? await readBody(req) : url.search.slice(1)),
    bodyTooLarge: (error) => new StripeError({ statusCode: 413, type: 'invalid_request_error', message: error.message }),
    matchRoute,
    unknownRoute: unrecognizedUrl,
    idempotency,
    injected5xx: () => (faults.inject5xx() ? apiError() : undefined),
    replayHeaders: (record) => ({ 'Original-Request': record.requestId }),
    execute: ({ match, params, idempotencyKey, decision }) => execute(match, params, requestId, decision, idempotencyKey),
  });

  /** Runs the endpoint and commits its change and idempotent result as one journal line. */
  function execute(
    route: Route,
    params: ParamMap,
    requestId: string,
    decision: IdempotencyDecision | undefined,
    idempotencyKey: string | undefined,
  ): Answer {
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

  const api = createApiServer({
    host: config.host,
    port: config.port,
    logger,
    faults,
    stats,
    beginRequest: (res) => {
      const requestId = newRequestId();
      res.setHeader('Request-Id', requestId);
      return { steps: stripeSteps(requestId), logFields: { requestId } };
    },
    control: (req, res, url) => handleControl(req, res, url, controlDeps),
    internalError: () => apiError().toEnvelope('req_internal'),
    onListening: () => {
      // Only once listening: what was pending before a restart goes out now.
      dispatcher.resume();
      refundFailCard.resume();
    },
    onClose: () => {
      // Undelivered webhooks stay queued in the journal and go out after the next start.
      dispatcher.stop();
      refundFailCard.stop();
    },
  });
  return { ...api, store };
}
