import { z } from 'zod';
import { reason } from '../auth/auth.schemas.js';
import { listQuerySchema, repeated } from '../http/list-query.js';
import { isCurrency } from '../money/currencies.js';
import { ledgerCategories, ledgerSourceTypes } from './ledger-categories.js';

const dayMs = 24 * 60 * 60 * 1000;
/** Longest range of the finance report and export: one year and a day (a leap year, or a fiscal year with margins). */
export const maxRangeDays = 366;
/** Hourly buckets over more than a month would be thousands of points; use daily ones. */
export const maxHourlyRangeDays = 31;

const dateOnlyPattern = /^\d{4}-\d{2}-\d{2}$/;
const dateText = z
  .string()
  .refine(
    (v) => (dateOnlyPattern.test(v) || v.includes('T')) && !Number.isNaN(Date.parse(v)),
    'must be a date (YYYY-MM-DD) or ISO date-time',
  );

/**
 * Range bounds, half-open [from, to). A date-only `to` includes that whole
 * day (UTC), as people read "from 2026-11-01 to 2026-11-30"; a date-time `to`
 * is exclusive. Dates are UTC midnights.
 */
export const rangeStart = dateText.transform((v) => new Date(dateOnlyPattern.test(v) ? `${v}T00:00:00Z` : v));
export const rangeEnd = dateText.transform((v) => (dateOnlyPattern.test(v) ? new Date(Date.parse(`${v}T00:00:00Z`) + dayMs) : new Date(v)));

/**
 * THE date range rule of the ledger's reads: `to` after `from`, and no longer
 * than `maxDays`. Problems name the field (`to`), as every 400 does.
 */
function rangeRules(ctx: z.RefinementCtx, range: { from?: Date; to?: Date }, maxDays: number) {
  // Object refinements also run when a field failed: then its value is still the raw text, and that field already has its issue.
  if (!(range.from instanceof Date) || !(range.to instanceof Date)) return;
  if (range.to.getTime() <= range.from.getTime()) {
    ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be after from (the range is reversed or empty)' });
  } else if (range.to.getTime() - range.from.getTime() > maxDays * dayMs) {
    ctx.addIssue({ code: 'custom', path: ['to'], message: `must be at most ${maxDays} days after from` });
  }
}

const currency = z.string().refine(isCurrency, 'must be an ISO 4217 currency code such as USD');
const category = z.enum(ledgerCategories, { error: `must be one of ${ledgerCategories.join(', ')}` });

/** GET /api/incidents/:id/ledger/tally: the range limits every figure; omitted, the whole incident. */
export const tallyQuerySchema = z
  .strictObject({
    bucket: z.enum(['day', 'hour'], { error: 'must be day or hour' }).default('day'),
    from: rangeStart.optional(),
    to: rangeEnd.optional(),
  })
  .superRefine((query, ctx) => {
    rangeRules(ctx, query, Number.MAX_SAFE_INTEGER);
    const span = query.from instanceof Date && query.to instanceof Date ? query.to.getTime() - query.from.getTime() : 0;
    if (query.bucket === 'hour' && span > maxHourlyRangeDays * dayMs) {
      ctx.addIssue({ code: 'custom', path: ['bucket'], message: `hour needs a range of at most ${maxHourlyRangeDays} days; use day` });
    }
  });
export type TallyQuery = z.infer<typeof tallyQuerySchema>;

export const entryListSchema = listQuerySchema({
  sortable: ['occurredAt', 'amountMinor', 'category', 'recordedAt'],
  defaultSort: 'occurredAt',
  defaultOrder: 'DESC',
  maxPerPage: 1000,
  filters: {
    category: repeated(category).optional(),
    currency: repeated(currency).optional(),
    sourceType: repeated(z.enum(ledgerSourceTypes, { error: `must be one of ${ledgerSourceTypes.join(', ')}` })).optional(),
    orderId: z.uuid({ error: 'must be an order id' }).optional(),
    runId: z.uuid({ error: 'must be a run id' }).optional(),
    from: rangeStart.optional(),
    to: rangeEnd.optional(),
  },
}).superRefine((query, ctx) => rangeRules(ctx, query, Number.MAX_SAFE_INTEGER));
export type EntryListQuery = z.infer<typeof entryListSchema>;

/**
 * The finance report and export: a bounded range across incidents. Both ends
 * are required — an unbounded export of every incident ever is not a report.
 */
export const financeRangeSchema = z
  .strictObject({
    from: rangeStart.optional(),
    to: rangeEnd.optional(),
    currency: repeated(currency).optional(),
    incidentId: repeated(z.uuid({ error: 'must be an incident id' })).optional(),
  })
  .superRefine((query, ctx) => {
    for (const field of ['from', 'to'] as const) {
      if (!query[field])
        ctx.addIssue({ code: 'custom', path: [field], message: `is required (YYYY-MM-DD; at most ${maxRangeDays} days apart)` });
    }
    rangeRules(ctx, query, maxRangeDays);
  })
  .transform((query) => query as typeof query & { from: Date; to: Date });
export type FinanceRange = z.infer<typeof financeRangeSchema>;

export const reconciliationStrategies = ['auto', 'per_payment', 'by_date'] as const;
export type ReconciliationStrategy = (typeof reconciliationStrategies)[number];

export const requestReconciliationSchema = z.strictObject({
  /**
   * How to list the provider's refunds: `per_payment` (each order's payment, exact whatever the
   * account's volume), `by_date` (every refund since the incident's first order: few calls for a
   * large incident), or `auto` (per payment up to a few hundred payments).
   */
  strategy: z.enum(reconciliationStrategies, { error: `must be one of ${reconciliationStrategies.join(', ')}` }).default('auto'),
  reason,
});
export type RequestReconciliationInput = z.infer<typeof requestReconciliationSchema>;

export const reconciliationStatuses = ['queued', 'running', 'completed', 'failed'] as const;

export const reconciliationListSchema = listQuerySchema({
  sortable: ['requestedAt', 'number'],
  defaultSort: 'requestedAt',
  defaultOrder: 'DESC',
  filters: {
    status: repeated(z.enum(reconciliationStatuses, { error: `must be one of ${reconciliationStatuses.join(', ')}` })).optional(),
  },
});
export type ReconciliationListQuery = z.infer<typeof reconciliationListSchema>;
