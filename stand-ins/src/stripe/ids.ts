import { randomBase62 } from '../shared/random-ids.js';

/** A Stripe-looking id: prefix, underscore, random base62 (`pi_3Qx…`, `re_…`, `req_…`). */
export function newId(prefix: string, length = 24): string {
  return `${prefix}_${randomBase62(length)}`;
}

export const newRequestId = () => newId('req', 14);
