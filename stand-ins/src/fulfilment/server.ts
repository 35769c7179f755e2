import { headerValue, type ApiSteps, type Answer } from '../shared/api-request.js';
import { createApiServer, type ApiServer } from '../shared/api-server.js';
import type { Logger } from '../shared/log.js';
import { RequestStats } from '../shared/request-stats.js';
import type { FulfilmentConfig } from './config.js';
import { ActionStats } from './control/action-stats.js';
import { handleControl } from './control/control-api.js';
import { FulfilmentError, idempotencyKeyMissing, rateLimited, serverError, unknownRoute } from './errors.js';
import { authenticate } from './http/api-key.js';
import { readJsonObject } from './http/json-body.js';
import { IdempotencyKeys, type IdempotencyDecision } from './idempotency/idempotency-keys.js';
import { matchRoute } from './routes.js';
import type { Shipment } from './state/shipment.js';
import { Store } from './state/store.js';
import { Faults } from './traffic/faults.js';

export interface FulfilmentStandIn extends ApiServer {
  store: Store;
}

type Match = NonNullable<ReturnType<typeof matchRoute>>;

/**
 * The fulfilment provider stand-in (docs/fulfilment-api.md). Every API request
 * goes through the steps every stand-in takes (shared/api-request.ts) with the
 * provider's parts: a JSON body, its errors, a Retry-After on 429, and an
 * Idempotency-Key required on shipment actions.
 */
export function createFulfilmentStandIn(config: FulfilmentConfig, logger: Logger): FulfilmentStandIn {
  const store = Store.open(config.dataFile, config.idempotencyTtlMs, logger);
  const faults = new Faults({
    latencyMs: config.latencyMs,
    error5xxRate: 0,
    resetAfterCommitRate: 0,
    rateLimitRps: config.rateLimitRps,
    rateLimitBurst: config.rateLimitBurst,
    deliveredBeforeInterceptRate: 0,
    seed: config.faultSeed,
  });
  const requests = new RequestStats();
  const actions = new ActionStats();
  const idempotency = new IdempotencyKeys(store);
  const controlDeps = { store, faults, requests, actions, idempotency, allowReset: config.allowReset };

  const steps: ApiSteps<FulfilmentError, Record<string, unknown>, Match, IdempotencyDecision> = {
    isError: (thrown) => thrown instanceof FulfilmentError,
    answerFor: (error) => ({ status: error.status, body: error.toEnvelope() }),
    authenticate: (req) => authenticate(headerValue(req, 'authorization'), config.apiKey),
    rateLimited: (waitMs) => {
      const seconds = Math.ceil(waitMs / 1000);
      return { error: rateLimited(seconds), headers: { 'Retry-After': String(seconds) } };
    },
    readParams: async (req) => (req.method === 'POST' ? readJsonObject(req) : {}),
    bodyTooLarge: (error) => new FulfilmentError(413, 'invalid_request_error', 'body_too_large', error.message),
    matchRoute,
    unknownRoute,
    missingKey: (match) => (match.route.requiresIdempotencyKey ? idempotencyKeyMissing() : undefined),
    idempotency,
    injected5xx: () => {
      const status = faults.inject5xx();
      return status ? serverError(status) : undefined;
    },
    execute: ({ match, params, url, idempotencyKey, decision }) => execute(match, params, url, idempotencyKey, decision),
  };

  function execute(
    match: Match,
    body: Record<string, unknown>,
    url: URL,
    idempotencyKey: string | undefined,
    decision: IdempotencyDecision | undefined,
  ): Answer {
    const changed: Shipment[] = [];
    let status: number;
    let answer: unknown;
    let saved = true;
    try {
      ({ status, body: answer } = match.route.endpoint({
        body,
        query: url.searchParams,
        pathParams: match.pathParams,
        idempotencyKey,
        store,
        faults,
        stats: actions,
        now: new Date(),
        changed,
      }));
    } catch (thrown) {
      let error = thrown;
      if (!(error instanceof FulfilmentError)) {
        logger.error('endpoint threw', { error: error instanceof Error ? error.stack : String(error) });
        // A bug: nothing it half-did is kept, nothing is saved under the key, so a retry starts clean.
        changed.length = 0;
        error = new FulfilmentError(500, 'api_error', 'internal_error', 'The fulfilment service failed.', {}, false);
      }
      const fulfilmentError = error as FulfilmentError;
      status = fulfilmentError.status;
      answer = fulfilmentError.toEnvelope();
      saved = fulfilmentError.storedForIdempotency;
    }
    const text = JSON.stringify(answer);
    const record = decision?.kind === 'fresh' && saved ? idempotency.recordFor(decision, status, text) : undefined;
    // A shipment changed twice in one request (delivered, then refused) is written once, as it ended.
    store.commit([...new Map(changed.map((shipment) => [shipment.reference, shipment])).values()], record);
    return { status, body: text };
  }

  const api = createApiServer({
    host: config.host,
    port: config.port,
    logger,
    faults,
    stats: requests,
    beginRequest: () => ({ steps }),
    control: (req, res, url) => handleControl(req, res, url, controlDeps),
    internalError: () => serverError(500).toEnvelope(),
  });
  return { ...api, store };
}
