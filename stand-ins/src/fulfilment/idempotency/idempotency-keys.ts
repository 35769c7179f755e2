import { canonicalJson } from '../../shared/canonical-json.js';
import { idempotencyScope } from '../../shared/idempotency-scope.js';
import { idempotencyKeyInUse, idempotencyKeyReused, idempotencyKeyTooLong } from '../errors.js';
import type { IdempotencyRecord, Store } from '../state/store.js';

export type IdempotencyDecision =
  { kind: 'fresh'; scope: string; key: string; fingerprint: string } | { kind: 'replay'; record: IdempotencyRecord };

/**
 * Idempotency-Key, with the semantics of Stripe's (which 3PL APIs copy):
 * per API key, the first answer of a request that began executing is kept
 * 24 hours and replayed with `Idempotent-Replayed: true`; the key with another
 * endpoint or body is a 400; a second request while the first is running is
 * a 409 that saves nothing, so it can simply be retried.
 */
export class IdempotencyKeys {
  private readonly inFlight = new Set<string>();

  constructor(private readonly store: Store) {}

  begin(apiKey: string, key: string, method: string, path: string, body: unknown): IdempotencyDecision {
    if (key.length === 0 || key.length > 255) throw idempotencyKeyTooLong();
    const scope = idempotencyScope(apiKey, key);
    if (this.inFlight.has(scope)) throw idempotencyKeyInUse(key);
    const fingerprint = `${method} ${path} ${canonicalJson(body)}`;
    const record = this.store.findIdempotent(scope);
    if (record) {
      if (record.fingerprint !== fingerprint) throw idempotencyKeyReused(key);
      return { kind: 'replay', record };
    }
    this.inFlight.add(scope);
    return { kind: 'fresh', scope, key, fingerprint };
  }

  recordFor(decision: IdempotencyDecision & { kind: 'fresh' }, status: number, body: string): IdempotencyRecord {
    return { scope: decision.scope, key: decision.key, fingerprint: decision.fingerprint, status, body, createdAt: Date.now() };
  }

  release(decision: IdempotencyDecision): void {
    if (decision.kind === 'fresh') this.inFlight.delete(decision.scope);
  }

  get inFlightCount(): number {
    return this.inFlight.size;
  }
}
