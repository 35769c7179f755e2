import { notConfigured, ProviderFailure, retryAfterMs } from '../payments/provider-failure.js';
import type { ActionResult, FulfilmentProvider, ShipmentRecord } from './fulfilment-provider.js';

const timeoutMs = 20_000;

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
    let res: Response;
    try {
      res = await fetch(new URL(path, this.apiBase), {
        method,
        headers: {
          Authorization: `Bearer ${this.apiKey}`,
          Accept: 'application/json',
          ...(method === 'POST' ? { 'Content-Type': 'application/json' } : {}),
          ...(idempotencyKey ? { 'Idempotency-Key': idempotencyKey } : {}),
        },
        body: method === 'POST' ? '{}' : undefined,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      // No answer: the action may or may not have been applied; the same key makes retrying safe.
      const cause = (error as Error & { cause?: { code?: string } }).cause?.code;
      const code = (error as Error).name === 'TimeoutError' ? 'timeout' : (cause?.toLowerCase() ?? 'connection_error');
      throw new ProviderFailure(
        'fulfilment',
        'transient',
        code,
        `${method} ${path}: ${(error as Error).message}${cause ? ` (${cause})` : ''}`,
      );
    }
    let body: unknown;
    try {
      body = await res.json();
    } catch (error) {
      // A cut-off answer is as good as none.
      if (res.ok || res.status >= 500) {
        throw new ProviderFailure(
          'fulfilment',
          'transient',
          'unreadable_answer',
          `${method} ${path}: ${res.status} with an unreadable body`,
        );
      }
      body = undefined;
    }
    if (res.ok) return body;
    throw classifyFulfilmentAnswer(res.status, body, res.headers.get('retry-after'), `${method} ${path}`);
  }
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
