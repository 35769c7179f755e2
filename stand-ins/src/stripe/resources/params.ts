import {
  emptyString,
  integerTooLarge,
  integerTooSmall,
  invalidBoolean,
  invalidCurrency,
  invalidEnum,
  invalidInteger,
  invalidMetadata,
  invalidString,
  missingParam,
  unknownParam,
} from '../errors/errors.js';
import type { Param, ParamMap } from '../http/form-params.js';
import { isKnownCurrency } from '../money.js';
import type { Metadata } from '../state/objects.js';

/**
 * Reading typed values out of form parameters with Stripe's validation
 * errors. These run before an endpoint does anything, which is why their
 * errors are never stored under an idempotency key.
 */

/** Stripe rejects parameters an endpoint does not know, which catches typos in the caller. */
export function rejectUnknown(params: ParamMap, allowed: readonly string[]): void {
  for (const name of Object.keys(params)) {
    if (!allowed.includes(name)) throw unknownParam(name);
  }
}

export function optionalString(params: ParamMap, name: string): string | undefined {
  const value = params[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw invalidString(name);
  return value;
}

export function requiredString(params: ParamMap, name: string): string {
  const value = optionalString(params, name);
  if (value === undefined) throw missingParam(name);
  if (value === '') throw emptyString(name);
  return value;
}

export function optionalInteger(params: ParamMap, name: string, bounds: { min?: number; max?: number } = {}): number | undefined {
  const value = optionalString(params, name);
  if (value === undefined) return undefined;
  if (!/^-?\d+$/.test(value) || !Number.isSafeInteger(Number(value))) throw invalidInteger(name, value);
  const number = Number(value);
  if (bounds.min !== undefined && number < bounds.min) throw integerTooSmall(name, bounds.min);
  if (bounds.max !== undefined && number > bounds.max) throw integerTooLarge(name, bounds.max);
  return number;
}

export function requiredInteger(params: ParamMap, name: string, bounds: { min?: number; max?: number } = {}): number {
  const value = optionalInteger(params, name, bounds);
  if (value === undefined) throw missingParam(name);
  return value;
}

export function optionalBoolean(params: ParamMap, name: string): boolean | undefined {
  const value = optionalString(params, name);
  if (value === undefined) return undefined;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw invalidBoolean(name, value);
}

export function optionalEnum<T extends string>(params: ParamMap, name: string, allowed: readonly T[]): T | undefined {
  const value = optionalString(params, name);
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) throw invalidEnum(name, allowed);
  return value as T;
}

/** Stripe accepts upper case and answers lower case. */
export function requiredCurrency(params: ParamMap): string {
  const currency = requiredString(params, 'currency').toLowerCase();
  if (!/^[a-z]{3}$/.test(currency) || !isKnownCurrency(currency)) throw invalidCurrency(currency);
  return currency;
}

export function optionalCurrency(params: ParamMap): string | undefined {
  return params.currency === undefined ? undefined : requiredCurrency(params);
}

/**
 * Metadata as Stripe limits it: up to 50 keys, keys up to 40 characters,
 * values up to 500. An empty value unsets the key, so on create it is dropped.
 */
export function metadataParam(params: ParamMap): Metadata {
  const raw = params.metadata;
  if (raw === undefined || raw === '') return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) throw invalidMetadata('Invalid object', 'metadata');
  const entries = Object.entries(raw);
  if (entries.length > 50) throw invalidMetadata('Invalid metadata: metadata cannot have more than 50 keys', 'metadata');
  const metadata: Metadata = {};
  for (const [key, value] of entries) {
    if (typeof value !== 'string') throw invalidMetadata(`Invalid value for metadata[${key}]: must be a string`, `metadata[${key}]`);
    if (key.length > 40) throw invalidMetadata(`Invalid metadata: keys can be at most 40 characters long`, `metadata[${key}]`);
    if (value.length > 500) throw invalidMetadata(`Invalid metadata: values can be at most 500 characters long`, `metadata[${key}]`);
    if (value !== '') metadata[key] = value;
  }
  return metadata;
}

/** `expand[]` as a list of dotted paths. */
export function expandParam(params: ParamMap): string[] {
  return listParam(params, 'expand');
}

export function listParam(params: ParamMap, name: string): string[] {
  const raw = params[name];
  if (raw === undefined) return [];
  const values: Param[] = typeof raw === 'string' ? [raw] : Array.isArray(raw) ? raw : Object.values(raw);
  return values.map((value) => {
    if (typeof value !== 'string') throw invalidString(name);
    return value;
  });
}

/** A nested hash parameter such as `automatic_payment_methods[enabled]`. */
export function optionalHash(params: ParamMap, name: string): ParamMap | undefined {
  const raw = params[name];
  if (raw === undefined) return undefined;
  if (typeof raw !== 'object' || Array.isArray(raw)) throw invalidMetadata('Invalid object', name);
  return raw;
}
