import http from 'node:http';
import https from 'node:https';
import { notConfigured, ProviderFailure, retryAfterMs } from '../payments/provider-failure.js';
import type { ActionResult, FulfilmentProvider, ShipmentRecord } from './fulfilment-provider.js';

const defaultTimeoutMs = 20_000;

/** Codes of a 409 that mean "wait for the other request", not "the shipment is elsewhere". */
const transientConflicts = new Set(['idempotency_key_in_use']);

/**
 * The fulfilment provider over HTTP (docs/fulfilment-api.md): JSON bodies,
 * `Authorization: Bearer FULFILMENT_API_KEY`, `Idempotency-Key` on every
 * action, errors as `{ error: { type, code, message, state? } }`. One request
 * per call, no retries here: the engine's queue counts and spaces attempts.
 */
export class HttpFulfilment implements FulfilmentProvider {
  constructor(
    private readonly apiBase: string,
    private readonly apiKey: string,
    private readonly timeoutMs = defaultTimeoutMs,
  ) {}

  cancel(reference: string, idempotencyKey: string) {
    return this.act(reference, 'cancel', idempotencyKey);
  }

  voidLabel(reference: string, idempotencyKey: string) {
    return this.act(reference, 'void-label', idempotencyKey);
  }

  intercept(reference: string, idempotencyKey: string) {
    return this.act(reference, 'intercept', idempotencyKey);
  }

  requestReturn(reference: string, idempotencyKey: string) {
    return this.act(reference, 'return', idempotencyKey);
  }

  async getShipment(reference: string): Promise<ShipmentRecord> {
    return (await this.request('GET', `/v1/shipments/${encodeURIComponent(reference)}`)) as ShipmentRecord;
  }

  private async act(reference: string, path: string, idempotencyKey: string): Promise<ActionResult> {
    return (await this.request('POST', `/v1/shipments/${encodeURIComponent(reference)}/${path}`, idempotencyKey)) as ActionResult;
  }

  private async request(method: 'GET' | 'POST', path: string, idempotencyKey?: string): Promise<unknown> {
    if (!this.apiBase) throw notConfigured('fulfilment', 'FULFILMENT_API_BASE');
    let answer: { status: number; text: string; retryAfter: string | null };
    try {
      answer = await send(new URL(path, this.apiBase), method, this.timeoutMs, {
        Authorization: `Bearer ${this.apiKey}`,
        Accept: 'application/json',
        ...(method === 'POST' ? { 'Content-Type': 'application/json', 'Content-Length': '2' } : {}),
        ...(idempotencyKey ? { 'Idempotency-Key': idempotencyKey } : {}),
      });
    } catch (error) {
      // No answer: the action may or may not have been applied; the same key makes retrying safe.
      const cause = (error as NodeJS.ErrnoException).code;
      const code = error instanceof AnswerTimeout ? 'timeout' : (cause?.toLowerCase() ?? 'connection_error');
      throw new ProviderFailure('fulfilment', 'transient', code, `${method} ${path}: ${(error as Error).message}`);
    }
    const ok = answer.status >= 200 && answer.status < 300;
    let body: unknown;
    try {
      body = JSON.parse(answer.text);
    } catch {
      // A cut-off answer is as good as none.
      if (ok || answer.status >= 500) {
        throw new ProviderFailure(
          'fulfilment',
          'transient',
          'unreadable_answer',
          `${method} ${path}: ${answer.status} with an unreadable body`,
        );
      }
      body = undefined;
    }
    if (ok) return body;
    throw classifyFulfilmentAnswer(answer.status, body, answer.retryAfter, `${method} ${path}`);
  }
}

class AnswerTimeout extends Error {}

/** Kept-alive connections: one call per stop-shipment step, thousands per run. */
const agents = { 'http:': new http.Agent({ keepAlive: true }), 'https:': new https.Agent({ keepAlive: true }) };

/**
 * One request with node:http (fetch's web streams cost more CPU per call than the call itself at a
 * run's rate). Resolves with the whole answer; rejects on a socket error or `timeoutMs` without one.
 */
function send(
  url: URL,
  method: string,
  timeoutMs: number,
  headers: Record<string, string>,
): Promise<{ status: number; text: string; retryAfter: string | null }> {
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(url, { method, headers, agent: agents[url.protocol as keyof typeof agents] }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      // A connection cut mid-answer ends with `aborted`: the partial body is left for JSON.parse to refuse.
      response.on('close', () =>
        resolve({
          status: response.statusCode ?? 0,
          text: Buffer.concat(chunks).toString('utf8'),
          retryAfter: (response.headers['retry-after'] as string | undefined) ?? null,
        }),
      );
    });
    // A deadline for the whole exchange (not only an idle socket): a trickling answer times out too.
    const deadline = setTimeout(() => request.destroy(new AnswerTimeout(`no answer within ${timeoutMs} ms`)), timeoutMs);
    request.on('close', () => clearTimeout(deadline));
    request.on('error', reject);
    request.end(method === 'POST' ? '{}' : undefined);
  });
}

export function classifyFulfilmentAnswer(status: number, body: unknown, retryAfter: string | null, what: string): ProviderFailure {
  const error = ((body as { error?: Record<string, unknown> } | undefined)?.error ?? {}) as Record<string, unknown>;
  const code = typeof error.code === 'string' ? error.code : `http_${status}`;
  const message = typeof error.message === 'string' ? error.message : `${what} answered ${status}`;
  const { type: _type, code: _code, message: _message, ...detail } = error;
  if (status === 429) return new ProviderFailure('fulfilment', 'rate_limited', code, message, retryAfterMs(retryAfter), detail);
  if (status >= 500 || status === 408 || (status === 409 && transientConflicts.has(code))) {
    return new ProviderFailure('fulfilment', 'transient', code, message, undefined, detail);
  }
  return new ProviderFailure('fulfilment', 'permanent', code, message, undefined, detail);
}
