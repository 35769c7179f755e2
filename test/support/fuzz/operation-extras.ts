import fc from 'fast-check';
import { csvColumns } from '../../../backend/src/ingestion/csv-order-rows.js';
import { hostileString, wrongTypeValue } from './hostile-values.js';
import { hostileBody, type JsonSchema, type SchemaContext } from './schema-arbitraries.js';

/**
 * What the OpenAPI document does not say about a few operations whose body
 * is not a documented JSON schema (NDJSON, CSV, signed webhooks) or whose
 * query is validated without being documented. An operation not listed here
 * still gets fuzzed with generic bodies and queries, so a new endpoint is
 * covered the day it appears; listing it only lets the fuzzer reach deeper.
 */
export interface OperationExtras {
  /** The body as bytes plus its content type, instead of a JSON body from the schema. */
  body?: (ctx: ExtrasContext) => fc.Arbitrary<{ contentType: string; body: string }>;
  /** A JSON body schema the document leaves out (written here from the controller's validation). */
  bodySchema?: (ctx: ExtrasContext) => JsonSchema;
  query?: fc.Arbitrary<Record<string, string>>;
  /** Known-valid bodies (sent as they are and mutated), for rules the schema cannot express. */
  examples?: (ctx: ExtrasContext) => fc.Arbitrary<unknown>;
}

export interface ExtrasContext extends SchemaContext {
  /** The body schema of another documented operation (`POST /api/orders` for NDJSON lines). */
  bodySchemaOf(key: string): JsonSchema;
}

const orderSchemaOf = (ctx: ExtrasContext) => ctx.bodySchemaOf('POST /api/orders');

const ndjson = (ctx: ExtrasContext) =>
  fc
    .array(
      fc.oneof(
        { weight: 4, arbitrary: hostileBody(orderSchemaOf(ctx), ctx).map((order) => JSON.stringify(order) ?? 'null') },
        { weight: 1, arbitrary: hostileString },
        { weight: 1, arbitrary: fc.constantFrom('{', '[1,2', '{"a":1}{"b":2}', '', '   ') },
      ),
      { minLength: 0, maxLength: 6 },
    )
    .chain((lines) =>
      fc.record({
        contentType: fc.constantFrom('application/x-ndjson', 'application/x-ndjson', 'text/plain', 'application/json', 'text/csv'),
        body: fc.constant(lines.join('\n')),
      }),
    );

const csvCell = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom('shop', 'EXT-1', '2026-11-20T10:00:00Z', 'USD', 'JPY', 'C-1', 'a@b.co', 'SKU-1', '2', '34.99', '1', 'US'),
  },
  { weight: 2, arbitrary: hostileString.map((s) => s.slice(0, 300)) },
  { weight: 1, arbitrary: fc.constantFrom('"', '""', '"a,b"', '=cmd|" /C calc"!A0', '@SUM(1+1)', '-1', '1e99', '0.001', '１２') },
);

const csv = fc
  .record({
    header: fc.oneof(
      { weight: 4, arbitrary: fc.constant<string[]>([...csvColumns]) },
      { weight: 1, arbitrary: fc.shuffledSubarray<string>([...csvColumns, 'extra', 'SOURCE', ''], { minLength: 0 }) },
    ),
    rows: fc.array(fc.array(csvCell, { minLength: csvColumns.length - 2, maxLength: csvColumns.length + 2 }), { maxLength: 5 }),
    newline: fc.constantFrom('\n', '\r\n', '\r'),
    contentType: fc.constantFrom('text/csv', 'text/csv', 'text/plain', 'application/csv', 'application/json', 'text/csv; charset=utf-8'),
  })
  .map(({ header, rows, newline, contentType }) => ({
    contentType,
    body: [header, ...rows]
      .map((cells) => cells.map((cell) => (/[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell)).join(','))
      .join(newline),
  }));

const stripeObject = (prefix: string, object: string, extra: Record<string, JsonSchema>): JsonSchema => ({
  type: 'object',
  required: ['id', 'object'],
  properties: {
    id: { type: 'string', pattern: `^${prefix}_[A-Za-z0-9]{6,14}$` },
    object: { enum: [object] },
    amount: { type: 'integer', minimum: 0, maximum: 10_000_000 },
    currency: { enum: ['usd', 'eur', 'jpy', 'gbp'] },
    charge: { type: 'string', pattern: '^ch_[A-Za-z0-9]{6,14}$' },
    payment_intent: { type: 'string', pattern: '^pi_[A-Za-z0-9_]{6,20}$' },
    created: { type: 'integer', minimum: 0, maximum: 2_000_000_000 },
    metadata: { type: 'object', properties: { incident_id: { type: 'string', format: 'uuid' }, run_id: { type: 'string' } } },
    ...extra,
  },
});

/** Stripe's event envelope and the refund, dispute and charge objects the service reads (stripe-webhook.controller.ts). */
const stripeEventSchema: JsonSchema = {
  type: 'object',
  required: ['id', 'type', 'created', 'data'],
  properties: {
    id: { type: 'string', pattern: '^evt_[A-Za-z0-9]{8,20}$' },
    type: {
      enum: [
        'refund.created',
        'refund.updated',
        'refund.failed',
        'charge.refund.updated',
        'charge.refunded',
        'charge.dispute.created',
        'charge.dispute.closed',
        'payment_intent.succeeded',
      ],
    },
    created: { type: 'integer', minimum: 0, maximum: 2_000_000_000 },
    data: {
      type: 'object',
      required: ['object'],
      properties: {
        object: {
          oneOf: [
            stripeObject('re', 'refund', {
              status: { enum: ['pending', 'succeeded', 'failed', 'canceled', 'requires_action'] },
              failure_reason: { type: 'string' },
            }),
            stripeObject('dp', 'dispute', {
              status: { enum: ['warning_needs_response', 'needs_response', 'under_review', 'won', 'lost'] },
              reason: { type: 'string' },
            }),
            stripeObject('ch', 'charge', {
              refunds: { type: 'object', properties: { data: { type: 'array', items: stripeObject('re', 'refund', {}) } } },
            }),
          ],
        },
      },
    },
  },
};

/** The platform's events (platform-webhook.controller.ts), carrying orders in the documented order schema. */
const platformEventSchema = (ctx: ExtrasContext): JsonSchema => ({
  oneOf: ['order.created', 'order.updated']
    .map((type): JsonSchema => ({
      type: 'object',
      required: ['id', 'type', 'data'],
      properties: {
        id: { type: 'string', minLength: 1, maxLength: 200 },
        type: { enum: [type] },
        createdAt: { type: 'string', format: 'date-time' },
        data: { type: 'object', required: ['order'], properties: { order: orderSchemaOf(ctx) } },
      },
    }))
    .concat([
      {
        type: 'object',
        required: ['id', 'type', 'data'],
        properties: {
          id: { type: 'string', minLength: 1, maxLength: 200 },
          type: { enum: ['order.fulfilment_changed'] },
          data: {
            type: 'object',
            required: ['source', 'externalId', 'fulfilment'],
            properties: {
              source: { type: 'string', minLength: 1, maxLength: 64 },
              externalId: { type: 'string', minLength: 1, maxLength: 128 },
              fulfilment: {
                type: 'object',
                required: ['state'],
                properties: {
                  state: { enum: ['unfulfilled', 'label_created', 'in_transit', 'delivered', 'cancelled', 'intercepted', 'returned'] },
                  carrier: { type: 'string', maxLength: 50, nullable: true },
                  trackingNumber: { type: 'string', maxLength: 100, nullable: true },
                },
              },
            },
          },
        },
      },
    ]),
});

const junkQuery = fc.dictionary(
  fc.constantFrom('mode', 'reason', '_sort', 'q', '__proto__', 'mode[]', 'x'),
  hostileString.map((s) => s.slice(0, 500)),
  {
    maxKeys: 2,
  },
);

export const operationExtras: Record<string, OperationExtras> = {
  'POST /api/orders/bulk': {
    body: ndjson,
    query: fc.oneof(fc.record({ mode: fc.constantFrom('valid-only', 'all-or-nothing') }), fc.constant({}), junkQuery),
  },
  'POST /api/orders/import': {
    body: () => csv,
    query: fc.oneof(
      { weight: 3, arbitrary: fc.record({ mode: fc.constantFrom('preview', 'valid-only') }, { requiredKeys: ['mode'] }) },
      {
        weight: 1,
        arbitrary: fc.record({ mode: fc.constantFrom('preview', 'valid-only'), reason: hostileString.map((s) => s.slice(0, 1200)) }),
      },
      { weight: 1, arbitrary: junkQuery },
    ),
  },
  'POST /api/webhooks/stripe': { bodySchema: () => stripeEventSchema },
  // Exactly one of proposalId and orderFilter; expectedCount with a filter.
  'POST /api/incidents': {
    examples: ({ hints }) =>
      fc.oneof(
        fc.record({ proposalId: hints.proposalId!, reason: fc.constant('declared from the proposal') }),
        fc.record({
          title: fc.constant('Fleet'),
          severity: fc.constant('low'),
          orderFilter: fc.record({ q: fc.constant('no-such-order') }),
          expectedCount: fc.constant(0),
        }),
      ),
  },
  // Exactly one of orderIds and filter.
  'POST /api/incidents/{id}/members': {
    examples: ({ hints }) =>
      fc.record({
        action: fc.constantFrom('suspect', 'confirm', 'exclude'),
        orderIds: fc.array(hints['orderIds[]']!, { minLength: 1, maxLength: 3 }),
        reason: fc.constant('checked by hand'),
      }),
  },
  'POST /api/webhooks/platform': { bodySchema: platformEventSchema },
};

/** A generic body for an operation that documents none: nothing, any JSON, junk text. */
export const genericBody: fc.Arbitrary<{ contentType: string | undefined; body: string | undefined }> = fc.oneof(
  fc.constant({ contentType: undefined, body: undefined }),
  fc.jsonValue({ maxDepth: 3 }).map((value) => ({ contentType: 'application/json', body: JSON.stringify(value) })),
  wrongTypeValue.map((value) => ({ contentType: 'application/json', body: JSON.stringify(value) ?? 'null' })),
  hostileString.map((text) => ({ contentType: 'text/plain', body: text })),
);
