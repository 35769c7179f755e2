import { z } from 'zod';
import { reason } from '../auth/auth.schemas.js';
import { listQuerySchema, queryBoolean, repeated } from '../http/list-query.js';
import { orderFilterFields, withOrderFilterRules } from '../orders/orders.schemas.js';
import { incidentEventKinds } from './incident-event.entity.js';
import { incidentSeverities, incidentStatuses, membershipStatuses } from './incident-lifecycle.js';

const severity = z.enum(incidentSeverities, { error: `must be one of ${incidentSeverities.join(', ')}` });
const title = z.string({ error: 'is required' }).trim().min(1, 'is required').max(200, 'must be at most 200 characters');
const userId = z.uuid({ error: 'must be a user id' });
/** How many orders the person saw the filter match: it must still match exactly that many. */
const expectedCount = z.number({ error: 'must be the number of orders the filter matches' }).int('must be an integer').min(0);

/** The orders list's filter keys as a JSON object (booleans may be true/false or their strings). */
export const orderFilterBody = withOrderFilterRules(
  z.strictObject({
    ...orderFilterFields,
    held: z.union([z.boolean(), queryBoolean], { error: 'must be true or false' }).optional(),
    inNoIncident: z.union([z.boolean(), queryBoolean], { error: 'must be true or false' }).optional(),
  }),
);

/** Declared from a detection proposal, or by hand from an order filter whose count the person confirmed. */
export const declareIncidentSchema = z
  .strictObject({
    title: title.optional(),
    severity: severity.optional(),
    commanderId: userId.optional(),
    proposalId: z.uuid({ error: 'must be a proposal id' }).optional(),
    orderFilter: orderFilterBody.optional(),
    expectedCount: expectedCount.optional(),
    reason,
  })
  .superRefine((body, ctx) => {
    if (Boolean(body.proposalId) === Boolean(body.orderFilter)) {
      ctx.addIssue({
        code: 'custom',
        path: ['orderFilter'],
        message: 'give either proposalId or orderFilter (the orders the incident is about)',
      });
    }
    if (body.orderFilter && body.expectedCount === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['expectedCount'],
        message: 'is required with orderFilter: the number of orders you saw it match',
      });
    }
    // From a proposal, title and severity default to the proposal's.
    if (!body.proposalId && !body.title) ctx.addIssue({ code: 'custom', path: ['title'], message: 'is required' });
    if (!body.proposalId && !body.severity) ctx.addIssue({ code: 'custom', path: ['severity'], message: 'is required' });
  });
export type DeclareIncidentInput = z.infer<typeof declareIncidentSchema>;

export const updateIncidentSchema = z
  .strictObject({
    title: title.optional(),
    severity: severity.optional(),
    commanderId: userId.nullable().optional(),
    summary: z.string().trim().max(50_000, 'must be at most 50000 characters').nullable().optional(),
    reason,
  })
  .refine((body) => Object.keys(body).some((key) => key !== 'reason'), {
    message: 'names nothing to change (title, severity, commanderId or summary)',
  });
export type UpdateIncidentInput = z.infer<typeof updateIncidentSchema>;

export const transitionSchema = z.strictObject({
  to: z.enum(incidentStatuses, { error: `must be one of ${incidentStatuses.join(', ')}` }),
  reason,
});

export const postUpdateSchema = z.strictObject({
  message: z.string({ error: 'is required' }).trim().min(1, 'is required').max(5000, 'must be at most 5000 characters'),
});

export const membershipActions = ['suspect', 'confirm', 'exclude'] as const;
export type MembershipAction = (typeof membershipActions)[number];

/** One order, a selection (≤ 10,000 ids) or every order matching a filter with its count confirmed. */
export const membershipSchema = z
  .strictObject({
    action: z.enum(membershipActions, { error: `must be one of ${membershipActions.join(', ')}` }),
    orderIds: z
      .array(z.uuid({ error: 'must be an order id' }))
      .min(1, 'must name at least one order')
      .max(10_000, 'must be at most 10000 ids; use a filter')
      .optional(),
    filter: orderFilterBody.optional(),
    expectedCount: expectedCount.optional(),
    // The access guard already requires it (incidents.members); repeated here for the type and the length.
    reason: z
      .string({ error: 'is required' })
      .trim()
      .min(3, 'is required (at least 3 characters)')
      .max(1000, 'must be at most 1000 characters'),
  })
  .superRefine((body, ctx) => {
    if (Boolean(body.orderIds) === Boolean(body.filter)) {
      ctx.addIssue({ code: 'custom', path: ['orderIds'], message: 'give either orderIds or filter' });
    }
    if (body.filter && body.expectedCount === undefined) {
      ctx.addIssue({ code: 'custom', path: ['expectedCount'], message: 'is required with filter: the number of orders you saw it match' });
    }
  });
export type MembershipInput = z.infer<typeof membershipSchema>;

/** GET …/members/count: the order filter keys as a query string. */
export const memberCountSchema = withOrderFilterRules(z.strictObject(orderFilterFields));

export const incidentListSchema = listQuerySchema({
  sortable: ['declaredAt', 'severity', 'status', 'number'],
  defaultSort: 'declaredAt',
  defaultOrder: 'DESC',
  filters: {
    status: repeated(z.enum(incidentStatuses, { error: `must be one of ${incidentStatuses.join(', ')}` })).optional(),
    severity: repeated(severity).optional(),
    commanderId: userId.optional(),
    /** Title words or an INC number. */
    q: z.string().trim().min(1).max(200, 'is too long').optional(),
    id: repeated(z.uuid({ error: 'must be an incident id' })).optional(),
  },
});
export type IncidentListQuery = z.infer<typeof incidentListSchema>;

export const incidentOrdersSchema = listQuerySchema({
  sortable: ['placedAt', 'changedAt', 'totalMinor', 'status'],
  defaultSort: 'changedAt',
  defaultOrder: 'DESC',
  filters: {
    status: repeated(z.enum(membershipStatuses, { error: `must be one of ${membershipStatuses.join(', ')}` })).optional(),
  },
});
export type IncidentOrdersQuery = z.infer<typeof incidentOrdersSchema>;

export const timelineSchema = listQuerySchema({
  sortable: ['at'],
  defaultSort: 'at',
  defaultOrder: 'DESC',
  maxPerPage: 1000,
  filters: {
    kind: repeated(z.enum(incidentEventKinds, { error: `must be one of ${incidentEventKinds.join(', ')}` })).optional(),
  },
});
export type TimelineQuery = z.infer<typeof timelineSchema>;
