import { z } from 'zod';

/**
 * The list contract shared with the admin UI's data provider:
 * `?_page=1&_perPage=25&_sort=field&_order=ASC|DESC&<filter>=…` → `{ data, total }`.
 * Sort fields are whitelisted per resource, so user input never names a column.
 */
export function listQuerySchema<S extends string, F extends z.ZodRawShape>(options: {
  sortable: readonly [S, ...S[]];
  defaultSort: S;
  defaultOrder?: 'ASC' | 'DESC';
  filters: F;
  maxPerPage?: number;
}) {
  return z.strictObject({
    _page: z.coerce.number().int('must be an integer').min(1, 'must be ≥ 1').default(1),
    _perPage: z.coerce
      .number()
      .int('must be an integer')
      .min(1, 'must be ≥ 1')
      .max(options.maxPerPage ?? 500, `must be ≤ ${options.maxPerPage ?? 500}`)
      .default(25),
    _sort: z.enum(options.sortable, { error: `must be one of ${options.sortable.join(', ')}` }).default(options.defaultSort as never),
    _order: z
      .enum(['ASC', 'DESC', 'asc', 'desc'], { error: 'must be ASC or DESC' })
      .transform((v) => v.toUpperCase() as 'ASC' | 'DESC')
      .default(options.defaultOrder ?? 'ASC'),
    ...options.filters,
  });
}

/** A query value that may repeat (`?id=a&id=b`) as an array. */
export const repeated = <T extends z.ZodType>(item: T) =>
  z.union([item, z.array(item)]).transform((v) => (Array.isArray(v) ? v : [v]) as z.infer<T>[]);

/** A `YYYY-MM-DD` or ISO date-time query value. */
export const queryDate = z
  .string()
  .refine((v) => !Number.isNaN(Date.parse(v)), 'must be a date (YYYY-MM-DD) or ISO date-time')
  .transform((v) => new Date(v));

export const queryBoolean = z.enum(['true', 'false'], { error: 'must be true or false' }).transform((v) => v === 'true');

export interface ListResult<T> {
  data: T[];
  total: number;
}
