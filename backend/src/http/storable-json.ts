/** U+0000 and unpaired UTF-16 surrogates: valid in JSON text, but PostgreSQL text and jsonb cannot hold them. */
const unstorable = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** The reviver's refusal, apart from a JSON syntax error. */
class UnstorableTextError extends SyntaxError {}

/**
 * JSON.parse reviver for request bodies: refuses a string (key or value) that
 * PostgreSQL would reject later with a 500, so the caller gets a 400 naming
 * the key instead. body-parser reports the throw as a malformed body.
 */
export function storableJsonReviver(this: unknown, key: string, value: unknown): unknown {
  if ((typeof value === 'string' && unstorable.test(value)) || unstorable.test(key)) {
    throw new UnstorableTextError(
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

/** Deeper JSON than any body of ours needs; refused before parsing, so nothing downstream recurses that far. */
export const maxJsonDepth = 100;

/** Whether the JSON text nests objects and arrays deeper than `max` (strings skipped, escapes included). */
export function nestedDeeperThan(body: Buffer, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const byte = body[i];
    if (inString) {
      if (byte === 0x5c) i++;
      else if (byte === 0x22) inString = false;
    } else if (byte === 0x22) inString = true;
    else if (byte === 0x7b || byte === 0x5b) {
      if (++depth > max) return true;
    } else if (byte === 0x7d || byte === 0x5d) depth--;
  }
  return false;
}

/** Reported the way body-parser reports its own parse errors: a 400 "Malformed JSON body: …". */
const malformed = (error: Error) => Object.assign(error, { type: 'entity.parse.failed', status: 400 });

/**
 * The JSON body parser's `verify` hook (it sees the raw bytes before parsing). Refuses, as a
 * malformed body: nesting deeper than `maxJsonDepth`; text PostgreSQL cannot store, naming the key
 * — checked by parsing once more with the reviver only when the text may hold such a thing. Any
 * other body is parsed only by body-parser, plainly: the reviver on every request cost a regex test
 * per key and string (the Stripe webhooks' included).
 */
export function checkJsonBody(body: Buffer): void {
  if (nestedDeeperThan(body, maxJsonDepth)) throw malformed(new SyntaxError(`it is nested deeper than ${maxJsonDepth} levels`));
  // Without any \u escape (the usual body) it cannot hold either: a raw NUL byte is refused by assertStorableText.
  if (body.indexOf('\\u') === -1) return;
  const text = body.toString('utf8');
  if (!mayHoldUnstorable.test(text)) return;
  try {
    JSON.parse(text, storableJsonReviver);
  } catch (error) {
    // A syntax error is body-parser's to report, in its own words.
    if (error instanceof UnstorableTextError) throw malformed(error);
  }
}
