import { PayloadTooLargeException } from '@nestjs/common';
import { isUtf8 } from 'node:buffer';
import type { Readable } from 'node:stream';

/** One line longer than this cannot be an order; it is refused without buffering further. */
export const maxLineBytes = 256 * 1024;

export interface NdjsonLine {
  /** 1-based. */
  number: number;
  /** The line without its line ending; empty when it is not UTF-8. */
  text: string;
  /** The line's bytes are not UTF-8: refused by number, never read with replacement characters. */
  notUtf8?: true;
}

const newline = 0x0a;
const carriageReturn = 0x0d;

/**
 * Yields the lines of a streamed body with their 1-based numbers, without
 * ever holding more than one chunk and one line in memory. Enforces the body
 * limit while streaming (413), since the body may be gigabytes. Split on
 * bytes and checked line by line: a line that is not UTF-8 is flagged, not
 * decoded with U+FFFD in place of what it said.
 */
export async function* ndjsonLines(body: Readable, maxBytes: number): AsyncGenerator<NdjsonLine> {
  let pending: Buffer = Buffer.alloc(0);
  let number = 0;
  let bytes = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    if (bytes > maxBytes) throw new PayloadTooLargeException(`Body exceeds the bulk import limit of ${maxBytes} bytes; split the file`);
    const data = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    let start = 0;
    for (let end = data.indexOf(newline); end !== -1; end = data.indexOf(newline, start)) {
      number++;
      yield lineOf(number, data.subarray(start, end));
      start = end + 1;
    }
    // Copied: a view would keep the whole chunk alive for the sake of its last few bytes.
    pending = Buffer.from(data.subarray(start));
    if (pending.length > maxLineBytes) throw new PayloadTooLargeException(`Line ${number + 1} exceeds ${maxLineBytes} bytes`);
  }
  if (pending.length) {
    const last = lineOf(number + 1, pending);
    if (last.notUtf8 || last.text.trim()) yield last;
  }
}

function lineOf(number: number, bytes: Buffer): NdjsonLine {
  const line = bytes.length && bytes[bytes.length - 1] === carriageReturn ? bytes.subarray(0, -1) : bytes;
  return isUtf8(line) ? { number, text: line.toString('utf8') } : { number, text: '', notUtf8: true };
}
