import { z } from 'zod';
import { isCurrency } from '../money/currencies.js';
import { maxAmountMinor } from '../money/money.js';
import { fulfilmentStates } from '../orders/fulfilment-state.js';

const text = (max: number) =>
  z.string({ error: 'is required' }).trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `must be at most ${max} characters`)
    .nullish()
    .transform((v) => v || null);
const minor = (what: string) =>
  z
    .number({ error: `must be an integer amount of minor units (${what})` })
    .int(`must be an integer amount of minor units (${what})`)
    .min(0, 'must not be negative')
    .max(maxAmountMinor, 'is too large');

export const shipToSchema = z.strictObject({
  name: text(200),
  line1: text(200),
  line2: optionalText(200),
  city: text(100),
  region: optionalText(100),
  postalCode: text(20),
  country: z.string({ error: 'is required' }).regex(/^[A-Z]{2}$/, 'must be an ISO 3166 alpha-2 code such as US'),
});

export const orderLineSchema = z.strictObject({
  // No control characters: the batch writer joins SKU lists with one.
  sku: text(64).regex(/^[^\x00-\x1f]+$/, 'must not contain control characters'),
  quantity: z
    .number({ error: 'must be a whole number' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(100_000, 'is too large'),
  unitPriceMinor: minor('unit price'),
  unitCostMinor: minor('unit cost of goods'),
});

/**
 * One order as the commerce platform sends it — the same shape for the REST
 * endpoint, each NDJSON line, the webhook and (after column mapping) CSV rows.
 */
export const orderInputSchema = z
  .strictObject({
    source: z.string({ error: 'is required' }).regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be 1-64 letters, digits, dot, dash or underscore'),
    externalId: text(128),
    placedAt: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time with a time zone' }),
    currency: z.string({ error: 'is required' }).refine(isCurrency, 'must be an ISO 4217 currency code such as USD'),
    customer: z.strictObject({
      externalId: text(128),
      email: z
        .email({ error: 'must be an e-mail address' })
        .max(254)
        .nullish()
        .transform((v) => v ?? null),
      name: optionalText(200),
    }),
    device: z
      .strictObject({
        id: text(128),
        model: text(100),
        firmwareVersion: text(50),
      })
      .nullish()
      .transform((v) => v ?? null),
    lines: z
      .array(orderLineSchema, { error: 'must be a list of order lines' })
      .min(1, 'must have at least one line')
      .max(500, 'has more than 500 lines'),
    shippingChargedMinor: minor('shipping charged').default(0),
    shippingLabelCostMinor: minor('shipping label cost').default(0),
    /** Optional; when given it must equal lines + shipping, or the order is refused. */
    totalMinor: z.number().int('must be an integer amount of minor units').optional(),
    paymentReference: z
      .string()
      .regex(/^(pi|ch|py)_[A-Za-z0-9_]{1,250}$/, 'must be a Stripe PaymentIntent (pi_…) or Charge (ch_…) id')
      .nullish()
      .transform((v) => v ?? null),
    fulfilment: z
      .strictObject({
        state: z.enum(fulfilmentStates, { error: `must be one of ${fulfilmentStates.join(', ')}` }).default('unfulfilled'),
        carrier: optionalText(50),
        trackingNumber: optionalText(100),
      })
      .default({ state: 'unfulfilled', carrier: null, trackingNumber: null }),
    shipTo: shipToSchema,
  })
  .superRefine((order, ctx) => {
    let subtotal = 0;
    order.lines.forEach((line, index) => {
      const lineTotal = line.quantity * line.unitPriceMinor;
      if (!Number.isSafeInteger(lineTotal) || lineTotal > maxAmountMinor) {
        ctx.addIssue({ code: 'custom', path: ['lines', index, 'quantity'], message: 'times unit price is too large' });
      }
      subtotal += lineTotal;
    });
    if (order.totalMinor !== undefined && order.totalMinor !== subtotal + order.shippingChargedMinor) {
      ctx.addIssue({
        code: 'custom',
        path: ['totalMinor'],
        message: `is ${order.totalMinor} but the lines (${subtotal}) plus shipping (${order.shippingChargedMinor}) add up to ${subtotal + order.shippingChargedMinor}`,
      });
    }
  });

export type OrderInput = z.infer<typeof orderInputSchema>;
