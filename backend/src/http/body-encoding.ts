import { isUtf8 } from 'node:buffer';

/** body-parser keeps this `type` and `status`; toErrorBody turns it into a 400 naming the problem. */
class BodyEncodingError extends Error {
  readonly type = 'encoding.invalid';
  readonly status = 400;
}

/**
 * Raw bodies must be UTF-8 without NUL bytes: body-parser would otherwise
 * replace bad bytes with U+FFFD without a word, and PostgreSQL refuses NUL
 * (a 500 later). Used as the `verify` hook of the JSON and text parsers.
 */
export function assertStorableText(buffer: Buffer, what: string): void {
  // Validated in place: decoding the body into a string only to check it cost a copy of every request body.
  if (!isUtf8(buffer)) throw new BodyEncodingError(`${what} is not valid UTF-8; save it as UTF-8 and send it again`);
  const nul = buffer.indexOf(0);
  if (nul !== -1) throw new BodyEncodingError(`${what} contains a NUL byte (offset ${nul}); it cannot be stored`);
}
