import { createHash } from 'node:crypto';

/**
 * Where an Idempotency-Key lives: per API key, as on Stripe (the same key under
 * another API key is another request), the API key as a short hash so that the
 * journal never holds it in clear. A client sends one API key request after
 * request, so the last one's hash is remembered rather than computed again.
 */
let lastApiKey: string | undefined;
let lastHash = '';

export function idempotencyScope(apiKey: string, key: string): string {
  if (apiKey !== lastApiKey) {
    lastHash = createHash('sha256').update(apiKey).digest('hex').slice(0, 16);
    lastApiKey = apiKey;
  }
  return `${lastHash}:${key}`;
}
