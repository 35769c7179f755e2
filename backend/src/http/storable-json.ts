/** U+0000 and unpaired UTF-16 surrogates: valid in JSON text, but PostgreSQL text and jsonb cannot hold them. */
const unstorable = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * JSON.parse reviver for request bodies: refuses a string (key or value) that
 * PostgreSQL would reject later with a 500, so the caller gets a 400 naming
 * the key instead. body-parser reports the throw as a malformed body.
 */
export function storableJsonReviver(this: unknown, key: string, value: unknown): unknown {
  if ((typeof value === 'string' && unstorable.test(value)) || unstorable.test(key)) {
    throw new SyntaxError(
      `the value of "${key.replace(unstorable, '?') || '(body)'}" contains U+0000 or an unpaired surrogate, which cannot be stored`,
    );
  }
  return value;
}

/**
 * Either can only come from an escape in the JSON text (`\u0000`, `\ud83d`) or a
 * raw NUL: decoded UTF-8 never holds a lone surrogate. Lines without one skip
 * the reviver, which costs a regex test per key and string on the bulk path.
 */
const mayHoldUnstorable = /\\u(?:0000|[dD][89a-fA-F])|\u0000/;

/** JSON.parse that refuses what PostgreSQL cannot store, as storableJsonReviver does, at plain-parse cost for ordinary text. */
export function parseStorableJson(text: string): unknown {
  return mayHoldUnstorable.test(text) ? JSON.parse(text, storableJsonReviver) : JSON.parse(text);
}
