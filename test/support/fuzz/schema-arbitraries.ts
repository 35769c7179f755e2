import fc from 'fast-check';
import { hostileString, wrongTypeValue } from './hostile-values.js';

/** The subset of OpenAPI 3.0 JSON Schema that zod's toJSONSchema (and Nest) emit. */
export interface JsonSchema {
  $ref?: string;
  type?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  nullable?: boolean;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
}

export interface SchemaContext {
  /** Resolves `#/components/schemas/…` references of the document. */
  resolve(ref: string): JsonSchema;
  /** Known-good values by property name (ids that exist, the actor's password…), so valid-ish bodies reach deep code. */
  hints: Record<string, fc.Arbitrary<unknown>>;
}

/** One change that turns a valid-ish body into a hostile one; kept as data so a counterexample reads well. */
export type Mutation =
  { kind: 'drop'; path: string[] } | { kind: 'set'; path: string[]; value: unknown } | { kind: 'extra'; path: string[]; value: unknown };

const maxSafe = Number.MAX_SAFE_INTEGER;

function deref(schema: JsonSchema, ctx: SchemaContext): JsonSchema {
  return schema.$ref ? deref(ctx.resolve(schema.$ref), ctx) : schema;
}

function merged(schema: JsonSchema, ctx: SchemaContext): JsonSchema {
  if (!schema.allOf) return schema;
  const parts = schema.allOf.map((part) => deref(part, ctx));
  return {
    ...schema,
    allOf: undefined,
    type: 'object',
    properties: Object.assign({}, schema.properties, ...parts.map((p) => p.properties ?? {})),
    required: [...(schema.required ?? []), ...parts.flatMap((p) => p.required ?? [])],
  };
}

function kindOf(schema: JsonSchema): string {
  if (schema.type) return schema.type;
  if (schema.properties) return 'object';
  if (schema.items) return 'array';
  return 'any';
}

/** Values that satisfy the schema most of the time (patterns, formats, bounds, required keys). */
export function validish(input: JsonSchema, ctx: SchemaContext, name?: string, depth = 0): fc.Arbitrary<unknown> {
  const schema = merged(deref(input, ctx), ctx);
  const base = validishOfKind(schema, ctx, name, depth);
  const hinted = name && ctx.hints[name] ? fc.oneof({ weight: 3, arbitrary: ctx.hints[name]! }, { weight: 1, arbitrary: base }) : base;
  return schema.nullable ? fc.oneof({ weight: 6, arbitrary: hinted }, { weight: 1, arbitrary: fc.constant(null) }) : hinted;
}

function validishOfKind(schema: JsonSchema, ctx: SchemaContext, name: string | undefined, depth: number): fc.Arbitrary<unknown> {
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const choices = schema.anyOf ?? schema.oneOf;
  if (choices) return fc.oneof(...choices.map((choice) => validish(choice, ctx, name, depth)));
  switch (kindOf(schema)) {
    case 'string':
      return validString(schema);
    case 'integer': {
      const min = Math.max(schema.minimum ?? -1_000_000, -maxSafe);
      const max = Math.min(schema.maximum ?? 1_000_000, maxSafe);
      return fc.oneof(fc.integer({ min, max: Math.min(max, min + 10_000) }), fc.integer({ min, max }), fc.constantFrom(min, max));
    }
    case 'number':
      return fc.double({ noNaN: true, noDefaultInfinity: true, min: schema.minimum ?? -1e9, max: schema.maximum ?? 1e9 });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const minLength = schema.minItems ?? 0;
      const maxLength = Math.max(minLength, Math.min(schema.maxItems ?? minLength + 4, minLength + 4));
      return fc.array(validish(schema.items ?? {}, ctx, name ? `${name}[]` : undefined, depth + 1), { minLength, maxLength });
    }
    case 'object': {
      const properties = schema.properties ?? {};
      const model: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [key, child] of Object.entries(properties)) model[key] = validish(child, ctx, key, depth + 1);
      const record = fc.record(model, { requiredKeys: (schema.required ?? []).filter((key) => key in properties) });
      if (Object.keys(properties).length === 0 && schema.additionalProperties !== false) {
        return fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 });
      }
      return record;
    }
    default:
      return fc.jsonValue({ maxDepth: 3 });
  }
}

function validString(schema: JsonSchema): fc.Arbitrary<string> {
  const minLength = schema.minLength ?? 0;
  const maxLength = schema.maxLength ?? minLength + 40;
  const fits = (value: string) => value.length >= minLength && value.length <= maxLength;
  if (schema.format === 'uuid') return fc.uuid();
  if (schema.format === 'date-time') {
    return fc
      .date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true })
      .map((d) => d.toISOString());
  }
  if (schema.format === 'email') return fc.emailAddress().filter(fits);
  if (schema.pattern) {
    try {
      return fc.stringMatching(new RegExp(schema.pattern)).filter(fits);
    } catch {
      // A pattern fast-check cannot generate from: fall through to plain strings.
    }
  }
  return fc.string({ unit: 'grapheme', minLength, maxLength: Math.min(maxLength, minLength + 40) }).filter(fits);
}

/** Every property path of an object schema (a `0` step for array items), up to a few levels. */
export function schemaPaths(
  input: JsonSchema,
  ctx: SchemaContext,
  prefix: string[] = [],
  depth = 0,
): { path: string[]; schema: JsonSchema }[] {
  const schema = merged(deref(input, ctx), ctx);
  if (depth > 3) return [];
  const choice = (schema.anyOf ?? schema.oneOf)?.find((c) => kindOf(deref(c, ctx)) === 'object');
  if (choice) return schemaPaths(choice, ctx, prefix, depth);
  if (kindOf(schema) === 'array' && schema.items) {
    const path = [...prefix, '0'];
    return [{ path, schema: deref(schema.items, ctx) }, ...schemaPaths(schema.items, ctx, path, depth + 1)];
  }
  return Object.entries(schema.properties ?? {}).flatMap(([key, child]) => {
    const path = [...prefix, key];
    return [{ path, schema: deref(child, ctx) }, ...schemaPaths(child, ctx, path, depth + 1)];
  });
}

/** Values just inside and just outside the schema's bounds, and of the wrong shape for it. */
export function boundaryValues(schema: JsonSchema): unknown[] {
  const values: unknown[] = [null];
  switch (kindOf(schema)) {
    case 'string': {
      if (schema.maxLength !== undefined)
        values.push('a'.repeat(schema.maxLength), 'a'.repeat(schema.maxLength + 1), '🙂'.repeat(schema.maxLength));
      if (schema.minLength) values.push('a'.repeat(schema.minLength - 1), ' '.repeat(schema.minLength));
      if (schema.enum) values.push(`${String(schema.enum[0]).toUpperCase()}`, `${String(schema.enum[0])} `, 'not-one-of-them');
      if (schema.format === 'uuid')
        values.push('00000000-0000-0000-0000-000000000000', 'not-a-uuid', '{"$ne":null}', 'ZZZZZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZZZZZZZZZ');
      if (schema.format === 'date-time')
        values.push('2026-02-30T00:00:00Z', '0000-01-01T00:00:00Z', '+275760-09-13T00:00:00Z', 'yesterday');
      values.push('', 12, true);
      break;
    }
    case 'integer':
    case 'number': {
      if (schema.minimum !== undefined) values.push(schema.minimum, schema.minimum - 1);
      if (schema.maximum !== undefined) values.push(schema.maximum, schema.maximum + 1);
      values.push(0.5, -1, 2 ** 53, 1e21, 1e308, '12', '0x10', true);
      break;
    }
    case 'array': {
      values.push({}, 'a', [null], [[[]]]);
      if (schema.minItems) values.push([]);
      if (schema.maxItems !== undefined && schema.maxItems <= 10_000) {
        values.push(Array.from({ length: schema.maxItems + 1 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`));
      }
      break;
    }
    case 'object':
      values.push([], 'a', 1, { unknownKey: 1 });
      break;
    case 'boolean':
      values.push('true', 1, 0, 'yes');
      break;
  }
  return values;
}

/** One to three hostile changes for bodies of this schema (missing, wrong-typed, out-of-bounds or extra fields). */
export function mutationList(schema: JsonSchema, ctx: SchemaContext): fc.Arbitrary<Mutation[]> {
  const paths = schemaPaths(schema, ctx);
  if (paths.length === 0) return fc.constant([]);
  const pathArb = fc.constantFrom(...paths);
  const mutation: fc.Arbitrary<Mutation> = fc.oneof(
    pathArb.map(({ path }) => ({ kind: 'drop', path }) as Mutation),
    pathArb.chain(({ path, schema: at }) =>
      fc
        .oneof(
          { weight: 3, arbitrary: fc.constantFrom(...boundaryValues(at)) },
          { weight: 2, arbitrary: wrongTypeValue },
          { weight: 2, arbitrary: hostileString },
        )
        .map((value) => ({ kind: 'set', path, value }) as Mutation),
    ),
    fc
      .tuple(
        fc.oneof(
          fc.constant([] as string[]),
          pathArb.map(({ path }) => path.slice(0, -1)),
        ),
        fc.oneof(
          fc.constantFrom('__proto__', 'constructor', '$where', '$ne', 'id', 'createdAt', 'role', 'isAdmin'),
          fc.string({ maxLength: 10 }),
        ),
        wrongTypeValue,
      )
      .map(([parent, key, value]) => ({ kind: 'extra', path: [...parent, key], value }) as Mutation),
  );
  return fc.array(mutation, { minLength: 1, maxLength: 3 });
}

/** A valid-ish body with hostile changes. */
export function mutated(schema: JsonSchema, ctx: SchemaContext): fc.Arbitrary<{ base: unknown; mutations: Mutation[] }> {
  return fc.record({ base: validish(schema, ctx), mutations: mutationList(schema, ctx) });
}

/** Applies mutations to a copy of `base` (own `__proto__` keys included, as JSON.parse would make them). */
export function applyMutations(base: unknown, mutations: Mutation[]): unknown {
  // A JSON round trip copies what will be sent, keeping own `__proto__` keys as plain keys.
  const root = (base === undefined ? undefined : JSON.parse(JSON.stringify(base))) as Record<string, unknown>;
  if (root === null || typeof root !== 'object') return root;
  for (const mutation of mutations) {
    const parent = walk(root, mutation.path.slice(0, -1), mutation.kind !== 'drop');
    const key = mutation.path.at(-1);
    if (!parent || key === undefined) continue;
    if (mutation.kind === 'drop') delete parent[key];
    else Object.defineProperty(parent, key, { value: mutation.value, enumerable: true, writable: true, configurable: true });
  }
  return root;
}

function walk(root: Record<string, unknown>, path: string[], create: boolean): Record<string, unknown> | undefined {
  let node: Record<string, unknown> = root;
  for (const step of path) {
    let next = Object.prototype.hasOwnProperty.call(node, step) ? node[step] : undefined;
    if (next === null || typeof next !== 'object') {
      if (!create) return undefined;
      next = /^\d+$/.test(step) ? [] : {};
      Object.defineProperty(node, step, { value: next, enumerable: true, writable: true, configurable: true });
    }
    node = next as Record<string, unknown>;
  }
  return node;
}

/**
 * What the fuzzer sends as a JSON body: mostly near-valid, often mutated,
 * sometimes anything at all. `examples` (known-valid bodies, for rules the
 * schema cannot say, such as "exactly one of a and b") are sent as they are
 * and mutated too, so the fuzzer also reaches past validation.
 */
export function hostileBody(schema: JsonSchema, ctx: SchemaContext, examples?: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  const generic = [
    { weight: 3, arbitrary: validish(schema, ctx) },
    { weight: 5, arbitrary: mutated(schema, ctx).map(({ base, mutations }) => applyMutations(base, mutations)) },
    { weight: 1, arbitrary: wrongTypeValue },
  ];
  if (!examples) return fc.oneof(...generic);
  return fc.oneof(
    ...generic,
    { weight: 3, arbitrary: examples },
    { weight: 3, arbitrary: fc.tuple(examples, mutationList(schema, ctx)).map(([base, mutations]) => applyMutations(base, mutations)) },
  );
}
