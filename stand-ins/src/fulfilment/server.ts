import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../shared/log.js';
import { BodyTooLargeError } from '../shared/read-body.js';
import { sendJson } from '../shared/send-json.js';
import { sleep } from '../shared/sleep.js';
import type { FulfilmentConfig } from './config.js';
import { ActionStats } from './control/action-stats.js';
import { handleControl } from './control/control-api.js';
import { RequestStats } from '../shared/request-stats.js';
import { FulfilmentError, idempotencyKeyMissing, rateLimited, serverError, unknownRoute } from './errors.js';
import { authenticate } from './http/api-key.js';
import { readJsonObject } from './http/json-body.js';
import { IdempotencyKeys, type IdempotencyDecision } from './idempotency/idempotency-keys.js';
import { matchRoute } from './routes.js';
import type { Shipment } from './state/shipment.js';
import { Store } from './state/store.js';
import { Faults } from './traffic/faults.js';

export interface FulfilmentStandIn {
  server: Server;
  store: Store;
  listen(): Promise<number>;
  close(): Promise<void>;
}

/**
 * The fulfilment provider stand-in (docs/fulfilment-api.md). Every API request
 * goes through the same steps, in this order: API key, rate limit, body,
 * route, Idempotency-Key (held from here on), latency, injected 5xx, the
 * endpoint and its commit (one journal line), injected connection reset, answer.
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

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      logger.error('request failed inside the stand-in', { error: error instanceof Error ? error.stack : String(error) });
      if (!res.headersSent) sendJson(res, 500, serverError(500).toEnvelope());
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    if (url.pathname.startsWith('/__stand-in/')) return handleControl(req, res, url, controlDeps);
    const started = performance.now();
    const outcome = await serveApi(req, res, url);
    requests.count(outcome);
    logger.debug('request', {
      method: req.method,
      path: url.pathname,
      status: outcome,
      ms: Math.round(performance.now() - started),
      idempotencyKey: req.headers['idempotency-key'],
    });
  }

  async function serveApi(req: IncomingMessage, res: ServerResponse, url: URL): Promise<number | 'reset'> {
    const method = req.method ?? 'GET';
    const fail = (error: FulfilmentError) => {
      sendJson(res, error.status, error.toEnvelope());
      return error.status;
    };

    let apiKey: string;
    try {
      apiKey = authenticate(headerValue(req, 'authorization'), config.apiKey);
    } catch (error) {
      return fail(error as FulfilmentError);
    }
    const waitMs = faults.admit();
    if (waitMs > 0) {
      res.setHeader('Retry-After', String(Math.ceil(waitMs / 1000)));
      return fail(rateLimited(Math.ceil(waitMs / 1000)));
    }

    let body: Record<string, unknown> = {};
    try {
      if (method === 'POST') body = await readJsonObject(req);
    } catch (error) {
      if (error instanceof BodyTooLargeError)
        return fail(new FulfilmentError(413, 'invalid_request_error', 'body_too_large', error.message));
      if (error instanceof FulfilmentError) return fail(error);
      throw error;
    }
    const match = matchRoute(method, url.pathname);
    if (!match) return fail(unknownRoute(method, url.pathname));

    const key = method === 'POST' ? headerValue(req, 'idempotency-key') : undefined;
    if (match.route.requiresIdempotencyKey && !key) return fail(idempotencyKeyMissing());
    let decision: IdempotencyDecision | undefined;
    if (key) {
      try {
        decision = idempotency.begin(apiKey, key, method, url.pathname, body);
      } catch (error) {
        return fail(error as FulfilmentError);
      }
      res.setHeader('Idempotency-Key', key);
    }

    try {
      if (faults.latencyMs > 0) await sleep(faults.latencyMs);
      const injected = faults.inject5xx();
      if (injected) {
        requests.injected5xx++;
        return fail(serverError(injected));
      }
      let answer: { status: number; body: string };
      if (decision?.kind === 'replay') {
        requests.idempotentReplays++;
        res.setHeader('Idempotent-Replayed', 'true');
        answer = decision.record;
      } else {
        answer = execute(match, body, url, key, decision);
      }
      if (method === 'POST' && faults.resetAfterCommit()) {
        // Committed and saved under the key; the client never hears of it and must retry.
        requests.injectedResets++;
        res.socket?.destroy();
        return 'reset';
      }
      sendJson(res, answer.status, answer.body);
      return answer.status;
    } finally {
      if (decision) idempotency.release(decision);
    }
  }

  function execute(
    match: NonNullable<ReturnType<typeof matchRoute>>,
    body: Record<string, unknown>,
    url: URL,
    idempotencyKey: string | undefined,
    decision: IdempotencyDecision | undefined,
  ): { status: number; body: string } {
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

  return {
    server,
    store,
    listen: () =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.port, config.host, () => resolve((server.address() as AddressInfo).port));
      }),
    close: () =>
      new Promise((resolve) => {
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
