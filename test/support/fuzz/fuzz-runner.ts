import fc from 'fast-check';
import { createHmac, randomBytes } from 'node:crypto';
import type { AccessRule } from '../../../backend/src/auth/access.decorators.js';
import { SessionsService } from '../../../backend/src/auth/sessions.service.js';
import { platformApiKey, platformWebhookSecret } from '../orders.js';
import type { TestApp } from '../test-app.js';
import type { DatabaseFingerprint } from './db-fingerprint.js';
import { hostileString, deeplyNestedJson } from './hostile-values.js';
import { operationExtras, genericBody, type ExtrasContext } from './operation-extras.js';
import type { FuzzOperation, OpenApiDocument } from './openapi-operations.js';
import { hostileBody, validish, type JsonSchema, type SchemaContext } from './schema-arbitraries.js';
import { idPool } from './fuzz-fixtures.js';

/** Percent-encodes the UTF-8 bytes (a lone surrogate becomes U+FFFD, as any HTTP client would send it). */
const encodePathValue = (value: string) =>
  [...Buffer.from(value, 'utf8')]
    .map((byte) =>
      /[A-Za-z0-9_.~-]/.test(String.fromCharCode(byte))
        ? String.fromCharCode(byte)
        : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');

const clip = (text: string, max = 240) => (text.length > max ? `${text.slice(0, max)}…(${text.length} chars)` : text);

export const stripeWebhookSecret = 'whsec_demo_only_stripe_webhook_secret';
export const storefrontApiKey = 'demo-only-storefront-api-key';

/** One generated request, as data (a counterexample prints as exactly what was sent). */
export interface FuzzRequest {
  pathValues: string[];
  query: Record<string, string>;
  contentType: string | undefined;
  body: string | undefined;
  viaCookie: boolean;
}

export interface OperationFigures {
  key: string;
  cases: number;
  statuses: Record<string, number>;
  /** Cases that broke the property, and the first few of them in full. */
  failures: number;
  violations: string[];
  ms: number;
}

export interface FuzzContext {
  api: TestApp;
  doc: OpenApiDocument;
  fingerprint: DatabaseFingerprint;
  actorId: string;
  hints: SchemaContext['hints'];
}

const junkPathValues = fc.oneof(
  fc.uuid(),
  fc.constantFrom(
    'not-a-uuid',
    '0',
    '-1',
    '00000000-0000-0000-0000-000000000000',
    "1' OR '1'='1",
    '%00',
    '..%2f..%2fetc',
    'null',
    '{"$ne":null}',
    'x'.repeat(5000),
  ),
  hostileString.map((s) => s.slice(0, 200)).filter((s) => s.length > 0),
);

/** JSON bodies broken below the schema: malformed, truncated, nested, of another type or charset. */
const brokenJson = fc.oneof(
  fc.constantFrom('{', '{"a":', '[', '"unterminated', '{"a":1,}', "{'a':1}", 'nul', '\u0000', '{"a":1}garbage', ''),
  fc.integer({ min: 10, max: 3000 }).map((depth) => deeplyNestedJson(depth)),
);

function schemaContext(ctx: FuzzContext): ExtrasContext {
  const resolve = (ref: string) => {
    const name = ref.replace('#/components/schemas/', '');
    const schema = ctx.doc.components?.schemas?.[name];
    if (!schema) throw new Error(`unresolvable $ref ${ref}`);
    return schema;
  };
  return {
    resolve,
    hints: ctx.hints,
    bodySchemaOf(key) {
      const [method, path] = key.split(' ');
      const schema = ctx.doc.paths[path!]?.[method!.toLowerCase()]?.requestBody?.content?.['application/json']?.schema;
      if (!schema) throw new Error(`${key} has no JSON body schema in the OpenAPI document`);
      return schema;
    },
  };
}

function bodyArbitrary(op: FuzzOperation, ctx: ExtrasContext): fc.Arbitrary<{ contentType: string | undefined; body: string | undefined }> {
  const extras = operationExtras[op.key];
  if (extras?.body) return extras.body(ctx);
  const schema: JsonSchema | undefined = op.bodySchema ?? extras?.bodySchema?.(ctx);
  if (!schema) return genericBody;
  return fc.oneof(
    {
      weight: 12,
      arbitrary: hostileBody(schema, ctx, extras?.examples?.(ctx)).map((value) => ({
        contentType: 'application/json',
        body: JSON.stringify(value) ?? 'null',
      })),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        contentType: fc.constantFrom(
          'text/plain',
          'application/x-www-form-urlencoded',
          'application/json; charset=utf-16',
          'application/xml',
          undefined,
        ),
        body: validish(schema, ctx).map((value) => JSON.stringify(value)),
      }),
    },
    { weight: 1, arbitrary: brokenJson.map((body) => ({ contentType: 'application/json', body })) },
  );
}

function queryArbitrary(op: FuzzOperation, ctx: ExtrasContext): fc.Arbitrary<Record<string, string>> {
  const extras = operationExtras[op.key];
  if (extras?.query) return extras.query;
  if (op.queryParams.length === 0) {
    return fc.oneof(
      { weight: 9, arbitrary: fc.constant({}) },
      { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 8 }), hostileString, { maxKeys: 2 }) },
    );
  }
  const model = Object.fromEntries(
    op.queryParams.map((p) => [p.name, validish(p.schema, ctx).map((v) => (typeof v === 'string' ? v : JSON.stringify(v)))]),
  );
  return fc.oneof(
    fc.record(model, { requiredKeys: [] }) as fc.Arbitrary<Record<string, string>>,
    fc.dictionary(fc.constantFrom(...op.queryParams.map((p) => p.name)), hostileString, { maxKeys: 3 }),
  );
}

/** The credential a route's access rule asks for (signing the exact body for webhooks). */
export function credentialHeaders(access: AccessRule, body: string | undefined, token: string, viaCookie = false): Record<string, string> {
  if (access.kind === 'public') return {};
  if (access.kind === 'permission') return viaCookie ? { Cookie: `rd_session=${token}` } : { Authorization: `Bearer ${token}` };
  const now = Math.floor(Date.now() / 1000);
  const signed = body ?? '';
  switch (access.credential) {
    case 'platform':
      return { Authorization: `Bearer ${platformApiKey}` };
    case 'storefront':
      return { Authorization: `Bearer ${storefrontApiKey}` };
    case 'metrics':
      return {};
    case 'platform-webhook':
      return {
        'X-Platform-Timestamp': String(now),
        'X-Platform-Signature': `v1=${createHmac('sha256', platformWebhookSecret).update(`${now}.${signed}`).digest('hex')}`,
      };
    case 'stripe-webhook':
      return { 'Stripe-Signature': `t=${now},v1=${createHmac('sha256', stripeWebhookSecret).update(`${now}.${signed}`).digest('hex')}` };
  }
}

/** The fuzzing actor's session: reused while it lives, minted anew (straight into the table) once logout or a password change ended it. */
class ActorSession {
  private token = '';
  constructor(
    private readonly ctx: FuzzContext,
    private readonly sessions: SessionsService,
  ) {}

  async live(): Promise<string> {
    if (this.token) {
      const { rows } = await this.ctx.api.db.query(
        `SELECT 1 FROM user_session WHERE token_hash = $1 AND revoked_at IS NULL AND expires_at > now()`,
        [this.sessions.hashToken(this.token)],
      );
      if (rows.length) return this.token;
    }
    this.token = `rd_${randomBytes(32).toString('base64url')}`;
    await this.ctx.api.db.query(`INSERT INTO user_session (user_id, token_hash, expires_at) VALUES ($1, $2, now() + interval '1 day')`, [
      this.ctx.actorId,
      this.sessions.hashToken(this.token),
    ]);
    return this.token;
  }
}

/**
 * Fuzzes one operation with `numRuns` generated requests. Property: never a
 * status >= 500; a 4xx names the problem (`message`) and leaves every table
 * exactly as it was (DatabaseFingerprint before and after each request).
 */
export async function fuzzOperation(op: FuzzOperation, ctx: FuzzContext, numRuns: number, seed: number): Promise<OperationFigures> {
  const started = performance.now();
  const sctx = schemaContext(ctx);
  const figures: OperationFigures = { key: op.key, cases: 0, statuses: {}, failures: 0, violations: [], ms: 0 };
  const session = new ActorSession(ctx, ctx.api.app.get(SessionsService));

  const pathArbs = await Promise.all(
    op.pathParams.map(async (param) => {
      const segments = op.path.split('/');
      const resource = segments[segments.indexOf(`{${param}}`) - 1] ?? '';
      const existing = await idPool(ctx.api, resource, [ctx.actorId]);
      return existing.length
        ? fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...existing) }, { weight: 3, arbitrary: junkPathValues })
        : junkPathValues;
    }),
  );
  const requestArb: fc.Arbitrary<FuzzRequest> = fc
    .record({
      pathValues: fc.tuple(...pathArbs),
      query: queryArbitrary(op, sctx),
      payload: bodyArbitrary(op, sctx),
      viaCookie: fc.boolean(),
    })
    .map(({ pathValues, query, payload, viaCookie }) => ({ pathValues, query, ...payload, viaCookie }));

  const property = fc.asyncProperty(requestArb, async (request) => {
    figures.cases++;
    const token = op.access.kind === 'permission' ? await session.live() : '';
    const before = await ctx.fingerprint.current();
    let i = 0;
    const url = op.path.replace(/\{\w+\}/g, () => encodePathValue(request.pathValues[i++] ?? ''));
    let req = ctx.api.http[op.method](url).query(request.query).timeout(60_000);
    for (const [name, value] of Object.entries(credentialHeaders(op.access, request.body, token, request.viaCookie)))
      req = req.set(name, value);
    if (request.contentType) req = req.set('Content-Type', request.contentType);
    const res = await (request.body === undefined ? req : req.send(request.body));
    const bucket = `${Math.floor(res.status / 100)}xx`;
    figures.statuses[bucket] = (figures.statuses[bucket] ?? 0) + 1;
    figures.statuses[res.status] = (figures.statuses[res.status] ?? 0) + 1;

    // Violations are collected, not thrown: every case runs, and the report lists each kind of failure found.
    const problem = (what: string) => {
      figures.failures++;
      if (figures.violations.length < 5) {
        const shown = { ...request, query: clip(JSON.stringify(request.query)), body: clip(request.body ?? '') };
        figures.violations.push(
          `${op.key} → ${res.status} ${what}: ${clip(JSON.stringify(res.body) ?? '')} | request ${JSON.stringify(shown)}`,
        );
      }
    };
    if (res.status >= 500) problem('server error');
    else if (res.status >= 400) {
      if (typeof res.body?.message !== 'string' || res.body.message.trim() === '') problem('4xx without a message');
      else if ((await ctx.fingerprint.current()) !== before) problem('rejected, but the database changed');
    }
  });
  await fc.assert(property, { numRuns, seed });
  figures.ms = performance.now() - started;
  return figures;
}
