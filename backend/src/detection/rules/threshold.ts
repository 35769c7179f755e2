import { z } from 'zod';

/** A threshold with its allowed range, so an admin's typo cannot switch a rule off by accident. */
export const threshold = (min: number, max: number, integer = true) => {
  const base = z
    .number({ error: `must be a number between ${min} and ${max}` })
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);
  return integer ? base.int('must be a whole number') : base;
};
