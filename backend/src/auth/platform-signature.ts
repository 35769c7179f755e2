import { createHmac, timingSafeEqual } from 'node:crypto';

/** How far a signed timestamp may be from our clock: replays older than this are refused. */
export const signatureToleranceSeconds = 300;

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

/**
 * The platform signs `${timestamp}.${raw body}` with HMAC-SHA256 and the shared
 * secret, and sends `X-Platform-Timestamp: <unix seconds>` and
 * `X-Platform-Signature: v1=<hex>[,v1=<hex>…]` (several while a secret rotates).
 */
export function verifyPlatformSignature(
  secret: string,
  rawBody: Buffer | undefined,
  timestampHeader: string | undefined,
  signatureHeader: string | undefined,
  nowSeconds = Math.floor(Date.now() / 1000),
): SignatureCheck {
  if (!rawBody) return { ok: false, reason: 'A JSON body is required' };
  if (!timestampHeader || !/^\d{1,12}$/.test(timestampHeader))
    return { ok: false, reason: 'X-Platform-Timestamp is missing or not unix seconds' };
  if (Math.abs(nowSeconds - Number(timestampHeader)) > signatureToleranceSeconds) {
    return { ok: false, reason: `X-Platform-Timestamp is more than ${signatureToleranceSeconds} s from now (stale or replayed)` };
  }
  const candidates = (signatureHeader ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.startsWith('v1='))
    .map((part) => part.slice(3));
  if (candidates.length === 0) return { ok: false, reason: 'X-Platform-Signature is missing (expected v1=<hex>)' };
  const expected = signPlatformPayload(secret, timestampHeader, rawBody);
  const matches = candidates.some(
    (candidate) => candidate.length === expected.length && timingSafeEqual(Buffer.from(candidate), Buffer.from(expected)),
  );
  return matches ? { ok: true } : { ok: false, reason: 'X-Platform-Signature does not match the body' };
}

export function signPlatformPayload(secret: string, timestamp: string, rawBody: Buffer | string): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex');
}
