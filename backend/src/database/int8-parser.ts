import pg from 'pg';

/**
 * PostgreSQL bigint (int8) — money in minor units, counts — arrives as a
 * string by default, because it may exceed 2^53. Every value this app stores
 * stays far below that, so raw queries get exact JavaScript integers here, in
 * one place, and a value that could not be represented exactly fails loudly
 * instead of being rounded.
 */
pg.types.setTypeParser(pg.types.builtins.INT8, (value: string) => {
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed)) throw new RangeError(`bigint ${value} exceeds the exact integer range`);
  return parsed;
});
