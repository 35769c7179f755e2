import { canonicalJson } from '../../shared/canonical-json.js';
import { idempotencyScope } from '../../shared/idempotency-scope.js';
import { idempotencyEndpointMismatch, idempotencyKeyInUse, idempotencyKeyTooLong, idempotencyParamsMismatch } from '../errors/errors.js';
import type { ParamMap } from '../http/form-params.js';
import type { IdempotencyRecord, Store } from '../state/store.js';

export type IdempotencyDecision =
  | { kind: 'fresh'; scope: string; key: string; method: string; path: string; fingerprint: string }
  | { kind: 'replay'; record: IdempotencyRecord };

/**
 * Stripe's idempotency for POSTs (https://docs.stripe.com/api/idempotent_requests):
 * the first result for a key — per API key — is saved once the endpoint has
 * begun, 4xx included, and every retry gets it back with
 * `Idempotent-Replayed: true`. Reusing a key with other parameters or on
 * another endpoint is an idempotency_error; a retry that arrives while the
 * first request is still running gets 409 idempotency_key_in_use and nothing
 * is saved for it, so it can simply be retried.
 */
export class IdempotencyKeys {
  private readonly inFlight = new Set<string>();

  constructor(private readonly store: Store) {}

  /** Throws the StripeError for a misuse; a `fresh` decision holds the key until `release`. */
  begin(apiKey: string, key: string, method: string, path: string, params: ParamMap): IdempotencyDecision {
    if (key.length > 255) throw idempotencyKeyTooLong();
    const scope = idempotencyScope(apiKey, key);
    if (this.inFlight.has(scope)) throw idempotencyKeyInUse(key);
    const fingerprint = canonicalJson(params);
    const record = this.store.findIdempotent(scope);
    if (record) {
      if (record.method !== method || record.path !== path) throw idempotencyEndpointMismatch(key, record.path, path);
      if (record.fingerprint !== fingerprint) throw idempotencyParamsMismatch(key);
      return { kind: 'replay', record };
    }
    this.inFlight.add(scope);
    return { kind: 'fresh', scope, key, method, path, fingerprint };
  }

  recordFor(decision: IdempotencyDecision & { kind: 'fresh' }, status: number, body: string, requestId: string): IdempotencyRecord {
    const { scope, key, method, path, fingerprint } = decision;
    return { scope, key, method, path, fingerprint, status, body, requestId, createdAt: Date.now() };
  }

  release(decision: IdempotencyDecision): void {
    if (decision.kind === 'fresh') this.inFlight.delete(decision.scope);
  }

  get inFlightCount(): number {
    return this.inFlight.size;
  }
}
