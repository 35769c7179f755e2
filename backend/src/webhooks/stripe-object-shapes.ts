import { z } from 'zod';
import { disputeEvents, refundEvents, type StripeEventInput } from './stripe-events.service.js';

/** An id or the expanded object carrying it, as Stripe sends either. */
const expandable = z.union([z.string().min(1).max(255), z.looseObject({ id: z.string().min(1).max(255) })]);
const amount = z.number({ error: 'must be an integer amount in minor units' }).int('must be an integer').nonnegative('must be ≥ 0');
const currency = z.string({ error: 'must be a three-letter currency code' }).regex(/^[A-Za-z]{3}$/, 'must be a three-letter currency code');

/** The members of a refund the service reads (stripe-payments.ts toRecord). */
const refundShape = z.looseObject({
  object: z.literal('refund'),
  id: z.string().min(1).max(255),
  amount,
  currency,
  status: z.string().min(1).max(50).nullish(),
  charge: expandable.nullish(),
  payment_intent: expandable.nullish(),
  failure_reason: z.string().max(500).nullish(),
  metadata: z.record(z.string(), z.string()).nullish(),
  created: z.number({ error: 'must be unix seconds' }).int('must be unix seconds').nonnegative('must be unix seconds'),
});

/** The members of a dispute the service reads (applyDispute). */
const disputeShape = z.looseObject({
  object: z.literal('dispute'),
  id: z.string().min(1).max(255),
  amount,
  currency,
  status: z.string().min(1).max(50),
  charge: expandable,
  payment_intent: expandable.nullish(),
  reason: z.string().max(200).nullish(),
});

const chargeShape = z.looseObject({ refunds: z.looseObject({ data: z.array(z.unknown()) }).nullish() });

/**
 * A signed event is authentic but not necessarily readable: the objects the
 * service acts on (refunds, disputes) must have the members it reads, or the
 * event is refused with 400 naming them instead of failing half-way (500).
 * Objects the service only stores are not checked.
 */
export function unreadableEventIssues(event: StripeEventInput): z.core.$ZodIssue[] {
  const object = event.data.object;
  const at = (issues: z.core.$ZodIssue[], path: PropertyKey[]) => issues.map((issue) => ({ ...issue, path: [...path, ...issue.path] }));
  if (refundEvents.has(event.type) && object.object === 'refund') {
    const result = refundShape.safeParse(object);
    return result.success ? [] : at(result.error.issues, ['data', 'object']);
  }
  if (disputeEvents.has(event.type) && object.object === 'dispute') {
    const result = disputeShape.safeParse(object);
    return result.success ? [] : at(result.error.issues, ['data', 'object']);
  }
  if (event.type === 'charge.refunded' && object.object === 'charge') {
    const charge = chargeShape.safeParse(object);
    if (!charge.success) return at(charge.error.issues, ['data', 'object']);
    return (charge.data.refunds?.data ?? []).flatMap((refund, index) => {
      if ((refund as { object?: unknown } | null)?.object !== 'refund') return [];
      const result = refundShape.safeParse(refund);
      return result.success ? [] : at(result.error.issues, ['data', 'object', 'refunds', 'data', index]);
    });
  }
  return [];
}
