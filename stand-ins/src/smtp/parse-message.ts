import { simpleParser, type AddressObject, type HeaderLines } from 'mailparser';
import type { ReceivedMessage, StoredMessage } from './message.js';

/**
 * The sink keeps the text and HTML as sent; mailparser's `textAsHtml` (the text
 * part linkified into HTML, more than half of a notice's parsing time) is never
 * read, so it is not made.
 */
const parseOptions = { skipTextToHtml: true };

/** A received message parsed with mailparser into what the HTTP API serves. */
export async function parseMessage(received: ReceivedMessage): Promise<StoredMessage> {
  const parsed = await simpleParser(received.raw, parseOptions);
  const headers: Record<string, string> = {};
  for (const { key, line } of parsed.headerLines) headers[key] = line.slice(line.indexOf(':') + 1).trim();
  return {
    ...unparsedMessage(received),
    from: parsed.from?.text ?? '',
    to: addresses(parsed.to),
    cc: addresses(parsed.cc),
    subject: parsed.subject ?? '',
    date: parsed.date && dateIsReadable(parsed.headerLines) ? parsed.date.toISOString() : received.receivedAt,
    messageId: parsed.messageId ?? null,
    inReplyTo: parsed.inReplyTo ?? null,
    headers,
    text: parsed.text ?? null,
    html: typeof parsed.html === 'string' ? parsed.html : null,
    attachments: parsed.attachments.map((attachment) => ({
      filename: attachment.filename ?? null,
      contentType: attachment.contentType,
      size: attachment.size,
    })),
  };
}

/**
 * A message as far as the SMTP transaction tells it, every field in the order the
 * API answers them: what is served of a message mailparser cannot read (a header
 * block over 1 MB, say), and what parseMessage fills in.
 */
export function unparsedMessage({ id, receivedAt, envelope, raw }: ReceivedMessage): StoredMessage {
  return {
    id,
    receivedAt,
    envelope,
    from: '',
    to: [],
    cc: [],
    subject: '',
    date: receivedAt,
    messageId: null,
    inReplyTo: null,
    headers: {},
    text: null,
    html: null,
    attachments: [],
    size: raw.length,
  };
}

/**
 * Whether mailparser read the Date header, or dated the message "now" because it
 * could not: now is when it parses, which was the arrival time while messages were
 * parsed on arrival, and stays the arrival time (`receivedAt`) now that they are
 * parsed when first read. Like mailparser, this reads the first Date header,
 * unfolded as its header decoding (libmime's decodeHeader) does.
 */
function dateIsReadable(headerLines: HeaderLines): boolean {
  const line = headerLines.find(({ key }) => key === 'date')?.line;
  if (line === undefined) return false;
  const unfolded = line.replace(/(?:\r?\n|\r)[ \t]*/g, ' ');
  return !Number.isNaN(new Date(unfolded.slice(unfolded.indexOf(':') + 1).trim()).getTime());
}

function addresses(header: AddressObject | AddressObject[] | undefined): string[] {
  const objects = header === undefined ? [] : Array.isArray(header) ? header : [header];
  return objects
    .flatMap((object) => object.value.flatMap((entry) => [entry.address, ...(entry.group ?? []).map((member) => member.address)]))
    .filter((address): address is string => Boolean(address));
}
