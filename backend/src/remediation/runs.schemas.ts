import { z } from 'zod';
import { listQuerySchema, queryBoolean, repeated } from '../http/list-query.js';
import { runActions, runStatuses, stepActions, stepStatuses, type RunAction } from './run-lifecycle.js';

/** Chosen actions, each once, in the catalogue's order (so equal choices store equal). */
const actions = z
  .array(z.enum(runActions, { error: `must be one of ${runActions.join(', ')}` }), { error: `must be a list of ${runActions.join(', ')}` })
  .min(1, 'must name at least one action')
  .transform((list) => runActions.filter((action) => list.includes(action)) as RunAction[]);

// The access guard already requires it for these actions; repeated here for the type and the length.
const reason = z
  .string({ error: 'is required' })
  .trim()
  .min(3, 'is required (at least 3 characters)')
  .max(1000, 'must be at most 1000 characters');

export const previewRunSchema = z.strictObject({ actions });
export type PreviewRunInput = z.infer<typeof previewRunSchema>;

export const requestRunSchema = z.strictObject({ actions, reason });
export type RequestRunInput = z.infer<typeof requestRunSchema>;

/** Approve, reject, pause, resume, cancel: a reason for the audit log and the timeline. */
export const runReasonSchema = z.strictObject({ reason });

export const retryRunSchema = z.strictObject({
  /** Omitted: every failed step of the run. */
  stepIds: z
    .array(z.uuid({ error: 'must be a step id' }), { error: 'must be a list of step ids' })
    .min(1, 'must name at least one step (or leave it out to retry every failed step)')
    .max(10_000, 'must be at most 10000 ids; leave it out to retry every failed step')
    .transform((ids) => [...new Set(ids.map((id) => id.toLowerCase()))])
    .optional(),
  reason,
});
export type RetryRunInput = z.infer<typeof retryRunSchema>;

export const runListSchema = listQuerySchema({
  sortable: ['requestedAt', 'number', 'status'],
  defaultSort: 'requestedAt',
  defaultOrder: 'DESC',
  filters: {
    incidentId: repeated(z.uuid({ error: 'must be an incident id' })).optional(),
    status: repeated(z.enum(runStatuses, { error: `must be one of ${runStatuses.join(', ')}` })).optional(),
    id: repeated(z.uuid({ error: 'must be a run id' })).optional(),
    /** Runs awaiting approval that the caller may approve: an incident commander who did not request them. */
    awaitingMyApproval: queryBoolean.optional(),
  },
});
export type RunListQuery = z.infer<typeof runListSchema>;

/** `notification_outbox.status` (the migration's CHECK) and the notice templates a run's outbox holds. */
export const noticeStatuses = ['pending', 'sending', 'sent', 'failed', 'cancelled'] as const;
export const noticeTemplates = ['incident_notice', 'refund_failed'] as const;

export const noticeListSchema = listQuerySchema({
  sortable: ['updatedAt', 'createdAt', 'sentAt', 'status', 'toAddress'],
  defaultSort: 'updatedAt',
  defaultOrder: 'DESC',
  maxPerPage: 1000,
  filters: {
    status: repeated(z.enum(noticeStatuses, { error: `must be one of ${noticeStatuses.join(', ')}` })).optional(),
    template: repeated(z.enum(noticeTemplates, { error: `must be one of ${noticeTemplates.join(', ')}` })).optional(),
    customerId: z.uuid({ error: 'must be a customer id' }).optional(),
  },
});
export type NoticeListQuery = z.infer<typeof noticeListSchema>;

export const retryNoticesSchema = z.strictObject({
  /** Omitted: every failed notice of the run. */
  noticeIds: z
    .array(z.uuid({ error: 'must be a notice id' }), { error: 'must be a list of notice ids' })
    .min(1, 'must name at least one notice (or leave it out to retry every failed notice)')
    .max(10_000, 'must be at most 10000 ids; leave it out to retry every failed notice')
    .transform((ids) => [...new Set(ids.map((id) => id.toLowerCase()))])
    .optional(),
  reason,
});
export type RetryNoticesInput = z.infer<typeof retryNoticesSchema>;

export const stepListSchema = listQuerySchema({
  sortable: ['updatedAt', 'finishedAt', 'status', 'externalId', 'amountMinor'],
  defaultSort: 'updatedAt',
  defaultOrder: 'DESC',
  maxPerPage: 1000,
  filters: {
    action: repeated(z.enum(stepActions, { error: `must be one of ${stepActions.join(', ')}` })).optional(),
    status: repeated(z.enum(stepStatuses, { error: `must be one of ${stepStatuses.join(', ')}` })).optional(),
    orderId: z.uuid({ error: 'must be an order id' }).optional(),
  },
});
export type StepListQuery = z.infer<typeof stepListSchema>;
