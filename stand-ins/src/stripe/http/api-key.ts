import { invalidApiKey, missingApiKey } from '../errors/errors.js';

/**
 * Authenticates like Stripe: the secret key as a Bearer token, or as the
 * user name of HTTP Basic auth (`curl -u sk_test_…:`). Only test-mode keys
 * exist here; `pinnedKey` (STRIPE_SECRET_KEY) narrows it to exactly one.
 * Returns the key: idempotency keys are scoped per API key.
 */
export function authenticate(authorization: string | undefined, pinnedKey: string | undefined): string {
  const key = keyFromHeader(authorization);
  if (!key) throw missingApiKey();
  const valid = pinnedKey ? key === pinnedKey : key.startsWith('sk_test_') && key.length > 'sk_test_'.length;
  if (!valid) throw invalidApiKey(redact(key));
  return key;
}

function keyFromHeader(authorization: string | undefined): string | undefined {
  if (!authorization) return undefined;
  const [scheme, credentials] = authorization.trim().split(/\s+/, 2);
  if (!credentials) return undefined;
  if (scheme?.toLowerCase() === 'bearer') return credentials;
  if (scheme?.toLowerCase() === 'basic') return Buffer.from(credentials, 'base64').toString('utf8').split(':')[0] || undefined;
  return undefined;
}

/** Stripe echoes a rejected key with all but its prefix and last four characters starred. */
function redact(key: string): string {
  if (key.length <= 12) return '*'.repeat(key.length);
  const prefix = key.match(/^[a-z]{2,3}_(test|live)_/)?.[0] ?? '';
  return prefix + '*'.repeat(key.length - prefix.length - 4) + key.slice(-4);
}
