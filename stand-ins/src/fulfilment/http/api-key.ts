import { invalidApiKey, missingApiKey } from '../errors.js';

/**
 * `Authorization: Bearer <key>`. With a pinned key (FULFILMENT_API_KEY) only
 * that one passes; without, any non-empty key does (a stand-in for many
 * merchants). Returns the key: idempotency keys are scoped per API key.
 */
export function authenticate(authorization: string | undefined, pinnedKey: string | undefined): string {
  const match = authorization?.trim().match(/^bearer\s+(\S+)$/i);
  if (!match) throw missingApiKey();
  const key = match[1]!;
  if (pinnedKey && key !== pinnedKey) throw invalidApiKey();
  return key;
}
