import { parameterInvalid, parameterMissing, parameterUnknown } from '../errors.js';

/**
 * Reading typed fields out of a JSON body with errors that name the field.
 * These run before an endpoint changes anything, so their errors are never
 * saved under an idempotency key: the caller fixes the request and retries with it.
 */
export function rejectUnknown(body: Record<string, unknown>, allowed: readonly string[]): void {
  for (const name of Object.keys(body)) if (!allowed.includes(name)) throw parameterUnknown(name);
}

export function requiredString(body: Record<string, unknown>, name: string, maxLength: number): string {
  const value = body[name];
  if (value === undefined || value === null) throw parameterMissing(name);
  if (typeof value !== 'string' || value.trim() === '') throw parameterInvalid(name, 'must be a non-empty string');
  if (value.length > maxLength) throw parameterInvalid(name, `must be at most ${maxLength} characters`);
  return value;
}

export function optionalString(body: Record<string, unknown>, name: string, maxLength: number): string | undefined {
  return body[name] === undefined ? undefined : requiredString(body, name, maxLength);
}

export function requiredEnum<T extends string>(body: Record<string, unknown>, name: string, allowed: readonly T[]): T {
  const value = body[name];
  if (value === undefined || value === null) throw parameterMissing(name);
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw parameterInvalid(name, `must be one of ${allowed.join(', ')}`);
  }
  return value as T;
}

/** Money: a whole number of minor units, never a decimal (1999, not 19.99). */
export function requiredMinorUnits(body: Record<string, unknown>, name: string): number {
  const value = body[name];
  if (value === undefined || value === null) throw parameterMissing(name);
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw parameterInvalid(name, 'must be a whole number of minor units >= 0 (1999 for 19.99)');
  }
  return value;
}

const knownCurrencies = new Set(Intl.supportedValuesOf('currency'));

/** An ISO 4217 code; answered upper case whatever case it came in. */
export function requiredCurrency(body: Record<string, unknown>, name = 'currency'): string {
  const value = requiredString(body, name, 3).toUpperCase();
  if (!knownCurrencies.has(value)) throw parameterInvalid(name, 'must be an ISO 4217 currency code such as USD');
  return value;
}

/** Our order id: it appears in URL paths, so only characters that need no escaping. */
export function requiredReference(body: Record<string, unknown>): string {
  const value = requiredString(body, 'reference', 200);
  if (!/^[A-Za-z0-9._~:-]+$/.test(value)) throw parameterInvalid('reference', 'may contain only letters, digits and . _ ~ : -');
  return value;
}
