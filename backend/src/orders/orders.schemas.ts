import { z } from 'zod';
import { listQuerySchema, queryBoolean, repeated } from '../http/list-query.js';
import { isCurrency } from '../money/currencies.js';
import { fulfilmentStates } from './fulfilment-state.js';

const dateOnly = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date (YYYY-MM-DD)');
const minorUnits = z.coerce.number({ error: 'must be an integer amount of minor units' }).int('must be an integer amount of minor units');

/**
 * The order filter keys, shared by the orders list and every "all orders
 * matching this filter" action (incident declaration and membership), so a
 * filter the UI shows as N orders selects exactly those N everywhere.
 */
export const orderFilterFields = {
  q: z.string().trim().min(1).max(200, 'is too long').optional(),
  id: repeated(z.uuid({ error: 'must be an order id' })).optional(),
  fulfilmentState: repeated(z.enum(fulfilmentStates, { error: `must be one of ${fulfilmentStates.join(', ')}` })).optional(),
  deviceId: z.string().max(128).optional(),
  model: z.string().max(100).optional(),
  firmware: z.string().max(50).optional(),
  customerId: z.uuid({ error: 'must be a customer id' }).optional(),
  sku: z.string().max(64).optional(),
  currency: z.string().refine(isCurrency, 'must be an ISO 4217 currency code such as USD').optional(),
  totalMin: minorUnits.optional(),
  totalMax: minorUnits.optional(),
  placedFrom: dateOnly.optional(),
  placedTo: dateOnly.optional(),
  held: queryBoolean.optional(),
  /** Orders that are members (suspected or confirmed, not excluded) of this incident. */
  incidentId: z.uuid({ error: 'must be an incident id' }).optional(),
  /** `true`: orders not suspected or confirmed in any open incident. */
  inNoIncident: queryBoolean.optional(),
};

interface FilterRuleInput {
  currency?: string;
  totalMin?: number;
  totalMax?: number;
  placedFrom?: string;
  placedTo?: string;
}

/** The cross-field rules of an order filter, for the list query and JSON bodies alike. */
export function withOrderFilterRules<T extends z.ZodType<FilterRuleInput>>(schema: T): T {
  return (
    schema
      // Amounts of different currencies are not comparable: a range needs its currency.
      .refine((q) => (q.totalMin === undefined && q.totalMax === undefined) || q.currency, {
        path: ['currency'],
        message: 'is required with totalMin/totalMax (amounts of different currencies cannot be compared)',
      })
      .refine((q) => q.totalMin === undefined || q.totalMax === undefined || q.totalMin <= q.totalMax, {
        path: ['totalMax'],
        message: 'must not be below totalMin',
      })
      .refine((q) => !q.placedFrom || !q.placedTo || q.placedFrom <= q.placedTo, {
        path: ['placedTo'],
        message: 'must not be before placedFrom',
      })
  );
}

export const orderListSchema = withOrderFilterRules(
  listQuerySchema({
    sortable: ['placedAt', 'totalMinor', 'externalId', 'fulfilmentState', 'currency'],
    defaultSort: 'placedAt',
    defaultOrder: 'DESC',
    filters: orderFilterFields,
  }),
);

export type OrderListQuery = z.infer<typeof orderListSchema>;
/** Just the filter keys of an order list query (no paging or sort). */
export type OrderFilter = Omit<OrderListQuery, '_page' | '_perPage' | '_sort' | '_order'>;
