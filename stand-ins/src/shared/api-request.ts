import type { IncomingMessage, ServerResponse } from 'node:http';
import { BodyTooLargeError } from './read-body.js';
import type { RequestStats } from './request-stats.js';
import { sendJson } from './send-json.js';
import { sleep } from './sleep.js';

/** An answer as sent, and as saved under an idempotency key: its status and JSON text. */
export interface Answer {
  status: number;
  body: string;
}

/** The status sent, or `reset`: the connection was dropped on purpose after the commit. */
export type Outcome = number | 'reset';

/** What an idempotency key decides: run the request (the key is held until released), or send the saved answer again. */
export type KeyDecision = { kind: 'fresh' } | { kind: 'replay'; record: Answer };

/** The knobs a request passes (each stand-in's traffic/faults.ts). */
export interface RequestFaults {
  /** 0: go ahead; otherwise the milliseconds until the rate limiter has a token. */
  admit(): number;
  readonly latencyMs: number;
  resetAfterCommit(): boolean;
}

/**
 * What is a provider's own in one API request; `serveApiRequest` takes them in
 * its order. `E` is the provider's error: a step refuses the request by
 * throwing one (or returning it, where it says so), and it is answered as is.
 * `P` is the request's parameters, `M` a matched route, `D` the key's decision.
 */
export interface ApiSteps<E, P, M, D extends KeyDecision> {
  /** One of the provider's errors (answered), not a bug in the stand-in (a 500)? */
  isError(thrown: unknown): thrown is E;
  answerFor(error: E): { status: number; body: unknown };
  /** Headers every API answer carries. */
  answerHeaders?(req: IncomingMessage): Record<string, string>;
  /** Returns the API key: idempotency keys are scoped per API key. */
  authenticate(req: IncomingMessage): string;
  /** The refusal of a request the rate limiter turned away, `waitMs` before it has a token, and headers it carries. */
  rateLimited(waitMs: number): { error: E; headers?: Record<string, string> };
  /** The body of a POST (or, on a GET, the query) as the endpoints take it. */
  readParams(req: IncomingMessage, url: URL): Promise<P>;
  bodyTooLarge(error: BodyTooLargeError): E;
  matchRoute(method: string, path: string): M | undefined;
  unknownRoute(method: string, path: string): E;
  /** Returns the refusal of a request without an Idempotency-Key, on a route that needs one. */
  missingKey?(match: M): E | undefined;
  idempotency: {
    begin(apiKey: string, key: string, method: string, path: string, params: P): D;
    release(decision: D): void;
  };
  /** Returns the injected 5xx, when the fault knob draws one. */
  injected5xx(): E | undefined;
  /** Headers of a replayed answer besides `Idempotent-Replayed: true`. */
  replayHeaders?(record: Extract<D, { kind: 'replay' }>['record']): Record<string, string>;
  /** Runs the endpoint and commits its change, with the answer saved under a fresh key, as one journal line. */
  execute(request: { match: M; params: P; url: URL; idempotencyKey: string | undefined; decision: D | undefined }): Answer;
}

/**
 * One API request, through the same steps as on the real providers, in this
 * order: API key, rate limit, body, route, Idempotency-Key (held from here
 * on), latency, injected 5xx, the endpoint and its commit, injected
 * connection reset, answer.
 */
export async function serveApiRequest<E, P, M, D extends KeyDecision>(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  steps: ApiSteps<E, P, M, D>,
  { faults, stats }: { faults: RequestFaults; stats: RequestStats },
): Promise<Outcome> {
  const method = req.method ?? 'GET';
  setHeaders(res, steps.answerHeaders?.(req));
  const fail = (error: E) => {
    const { status, body } = steps.answerFor(error);
    sendJson(res, status, body);
    return status;
  };
  const refuse = (thrown: unknown) => {
    if (steps.isError(thrown)) return fail(thrown);
    throw thrown;
  };

  let apiKey: string;
  try {
    apiKey = steps.authenticate(req);
  } catch (error) {
    return refuse(error);
  }
  const waitMs = faults.admit();
  if (waitMs > 0) {
    const { error, headers } = steps.rateLimited(waitMs);
    setHeaders(res, headers);
    return fail(error);
  }

  let params: P;
  try {
    params = await steps.readParams(req, url);
  } catch (error) {
    if (error instanceof BodyTooLargeError) return fail(steps.bodyTooLarge(error));
    return refuse(error);
  }
  const match = steps.matchRoute(method, url.pathname);
  if (!match) return fail(steps.unknownRoute(method, url.pathname));

  // Like Stripe, the key counts on POSTs only: reading is idempotent anyway.
  const key = method === 'POST' ? headerValue(req, 'idempotency-key') : undefined;
  const keyMissing = key ? undefined : steps.missingKey?.(match);
  if (keyMissing) return fail(keyMissing);
  let decision: D | undefined;
  if (key) {
    try {
      decision = steps.idempotency.begin(apiKey, key, method, url.pathname, params);
    } catch (error) {
      return refuse(error);
    }
    res.setHeader('Idempotency-Key', key);
  }

  try {
    if (faults.latencyMs > 0) await sleep(faults.latencyMs);
    const injected = steps.injected5xx();
    if (injected) {
      stats.injected5xx++;
      return fail(injected);
    }
    let answer: Answer;
    if (decision?.kind === 'replay') {
      stats.idempotentReplays++;
      res.setHeader('Idempotent-Replayed', 'true');
      setHeaders(res, steps.replayHeaders?.(decision.record));
      answer = decision.record;
    } else {
      answer = steps.execute({ match, params, url, idempotencyKey: key, decision });
    }
    if (method === 'POST' && faults.resetAfterCommit()) {
      // The change is committed (and saved under the key); the client never hears of it and must retry.
      stats.injectedResets++;
      res.socket?.destroy();
      return 'reset';
    }
    sendJson(res, answer.status, answer.body);
    return answer.status;
  } finally {
    if (decision) steps.idempotency.release(decision);
  }
}

export function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function setHeaders(res: ServerResponse, headers: Record<string, string> | undefined): void {
  for (const [name, value] of Object.entries(headers ?? {})) res.setHeader(name, value);
}
