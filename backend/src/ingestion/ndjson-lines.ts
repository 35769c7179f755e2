import { PayloadTooLargeException } from '@nestjs/common';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';

/** One line longer than this cannot be an order; it is refused without buffering further. */
export const maxLineBytes = 256 * 1024;

/**
 * Yields the lines of a streamed body with their 1-based numbers, without
 * ever holding more than one chunk and one line in memory. Enforces the body
 * limit while streaming (413), since the body may be gigabytes.
 */
export async function* ndjsonLines(body: Readable, maxBytes: number): AsyncGenerator<{ number: number; text: string }> {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  let number = 0;
  let bytes = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    if (bytes > maxBytes) throw new PayloadTooLargeException(`Body exceeds the bulk import limit of ${maxBytes} bytes; split the file`);
    const parts = (pending + decoder.write(chunk)).split('\n');
    pending = parts.pop()!;
    for (const part of parts) {
      number++;
      yield { number, text: part.endsWith('\r') ? part.slice(0, -1) : part };
    }
    if (pending.length > maxLineBytes) throw new PayloadTooLargeException(`Line ${number + 1} exceeds ${maxLineBytes} bytes`);
  }
  pending += decoder.end();
  if (pending.trim()) yield { number: number + 1, text: pending.replace(/\r$/, '') };
}
