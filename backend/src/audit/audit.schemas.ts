import { z } from 'zod';
import { listQuerySchema, queryDate, repeated } from '../http/list-query.js';

/** Longest range one audit query may span, so a careless filter cannot scan years of rows. */
export const maxAuditRangeDays = 366;

export const auditListSchema = listQuerySchema({
  sortable: ['at', 'action', 'actorEmail', 'targetType', 'targetId'],
  defaultSort: 'at',
  defaultOrder: 'DESC',
  filters: {
    actorEmail: z.string().trim().toLowerCase().max(254, 'is too long').optional(),
    action: z.string().trim().max(100, 'is too long').optional(),
    targetType: z.string().trim().max(100, 'is too long').optional(),
    targetId: z.string().trim().max(200, 'is too long').optional(),
    /** Inclusive; a plain date means from its first instant (UTC). */
    from: queryDate.optional(),
    /** Inclusive; a plain date means up to its last instant (UTC). */
    to: z
      .string()
      .refine((v) => !Number.isNaN(Date.parse(v)), 'must be a date (YYYY-MM-DD) or ISO date-time')
      .transform((v) => (/^\d{4}-\d{2}-\d{2}$/.test(v) ? new Date(Date.parse(v) + 86_400_000 - 1) : new Date(v)))
      .optional(),
    id: repeated(z.string().regex(/^\d{1,18}$/, 'must be an audit entry id')).optional(),
  },
})
  .refine((q) => !q.from || !q.to || q.from <= q.to, { path: ['to'], message: 'must not be before from' })
  .refine((q) => !q.from || !q.to || q.to.getTime() - q.from.getTime() <= maxAuditRangeDays * 86_400_000, {
    path: ['to'],
    message: `must be within ${maxAuditRangeDays} days of from`,
  });
