import fc from 'fast-check';

/** SQL injection probes: quoting breaks, stacked statements, tautologies, comments, casts. */
export const sqlInjections = [
  "' OR '1'='1",
  "' OR 1=1 --",
  "'; DROP TABLE orders; --",
  "1'; UPDATE app_user SET roles = '{admin}'; --",
  "\\'; SELECT pg_sleep(5); --",
  "' UNION SELECT email, password_hash, null FROM app_user --",
  '") OR ("1"="1',
  '1 OR 1=1',
  "$1'::text; --",
  "%' AND 1=0 UNION SELECT 1 --",
  'id; DELETE FROM audit_log',
  'created_at DESC; DROP TABLE incident',
] as const;

/** NoSQL/operator injection probes (Mongo-style operators, prototype pollution keys). */
export const noSqlInjections = [
  '{"$ne": null}',
  '{"$gt": ""}',
  '{"$where": "sleep(1000)"}',
  '[$ne]=1',
  '__proto__',
  'constructor.prototype',
] as const;

export const noSqlObjects: unknown[] = [
  { $ne: null },
  { $gt: '' },
  { $where: 'this.password.length > 0' },
  { $regex: '.*' },
  // JSON.parse makes `__proto__` an own key (an object literal would set the prototype instead).
  JSON.parse('{"__proto__": {"admin": true}}'),
  { constructor: { prototype: { isAdmin: true } } },
];

/** Markup that executes if a page renders it as HTML. `marker` lets a browser test see whether it ran. */
export function scriptPayloads(marker = '__xss') {
  return [
    `<img src=x onerror="window.${marker}=1">`,
    `<script>window.${marker}=1</script>`,
    `<svg onload="window.${marker}=1"></svg>`,
    `"><img src=x onerror=window.${marker}=1>`,
    `javascript:window.${marker}=1`,
    `<iframe srcdoc="<script>parent.${marker}=1</script>"></iframe>`,
  ];
}

/** Strings that trip parsers, databases and renderers: NUL, lone surrogates, RTL, zero-width, emoji, huge. */
export const nastyStrings = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfffy',
  '\u202Egnp.exe',
  '\u200B\u200C\u200D\uFEFF',
  '👩‍👩‍👧‍👦🏳️‍🌈',
  'Ω≈ç√∫˜µ≤≥÷',
  'ＡＢＣ',
  '\r\n\t\b\f\v',
  '%00%0d%0a',
  '../../../../etc/passwd',
  '${7*7}{{7*7}}<%= 7*7 %>',
  'null',
  'undefined',
  'NaN',
  '-0',
  '1e309',
  '9'.repeat(400),
  ...sqlInjections,
  ...noSqlInjections,
  ...scriptPayloads(),
] as const;

/** A string of any unicode, often hostile, sometimes long. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...nastyStrings) },
  { weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.integer({ min: 1_000, max: 200_000 }).map((n) => 'x'.repeat(n)) },
);

/** JSON nested `depth` levels deep, as text (a JS object that deep would overflow JSON.stringify first). */
export function deeplyNestedJson(depth: number, key = 'a'): string {
  return `${`{"${key}":`.repeat(depth)}1${'}'.repeat(depth)}`;
}

/** Numbers at and beyond the edges: integer limits, fractions, exponents. */
export const edgeNumbers = [
  0,
  -0,
  -1,
  1,
  0.5,
  -0.5,
  2 ** 31 - 1,
  2 ** 31,
  -(2 ** 31),
  2 ** 53 - 1,
  2 ** 53,
  -(2 ** 53),
  1e15,
  1e21,
  1e308,
  -1e308,
  Number.MIN_VALUE,
] as const;

/** Any JSON value of the wrong kind: the type confusion a schema must catch. */
export const wrongTypeValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.constantFrom(...edgeNumbers),
  hostileString,
  fc.constantFrom(...noSqlObjects),
  fc.constant([]),
  fc.constant({}),
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 4 }),
  fc.jsonValue({ maxDepth: 4 }),
);
