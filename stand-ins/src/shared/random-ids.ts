import { randomBytes, randomFillSync } from 'node:crypto';

/**
 * Random characters for ids and secrets, from the CSPRNG through a pool: a call to
 * crypto.randomBytes costs a few microseconds whatever its size, and one refund at the
 * Stripe stand-in makes five ids. The pool is refilled 4 KiB at a time and each byte is
 * used once, so the ids are as random as before.
 */
const pool = Buffer.alloc(4096);
let used = pool.length;

/** `size` fresh random bytes; the view is only valid until the next call. */
function take(size: number): Buffer {
  if (size > pool.length) return randomBytes(size);
  if (used + size > pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  used += size;
  return pool.subarray(used - size, used);
}

const base62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** `length` characters of [A-Za-z0-9], one random byte each (the shape of Stripe's ids and secrets). */
export function randomBase62(length: number): string {
  const bytes = take(length);
  let out = '';
  for (let i = 0; i < length; i++) out += base62[bytes[i]! % base62.length];
  return out;
}

/** `bytes` random bytes as lower-case hex. */
export function randomHex(bytes: number): string {
  return take(bytes).toString('hex');
}
