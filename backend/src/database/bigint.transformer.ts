import type { ValueTransformer } from 'typeorm';

/**
 * PostgreSQL `bigint` arrives from the driver as a string (it may exceed
 * 2^53). Money in minor units and counters stay far below that, so they are
 * converted to `number` here — the one place that does it — and refused loudly
 * if a value ever could not be represented exactly.
 */
export const bigintTransformer: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null): number | null => {
    if (value === null || value === undefined) return null;
    const parsed = Number(value);
    if (!Number.isSafeInteger(parsed)) throw new RangeError(`bigint ${value} exceeds the safe integer range`);
    return parsed;
  },
};
