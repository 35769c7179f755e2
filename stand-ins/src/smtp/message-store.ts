import { JsonLinesJournal } from '../shared/json-lines-journal.js';
import type { Logger } from '../shared/log.js';
import type { ReceivedMessage, StoredMessage } from './message.js';
import { parseMessage, unparsedMessage } from './parse-message.js';

export interface MessageFilter {
  /** An address among the envelope recipients, To or Cc (case-insensitive). */
  to?: string;
  /** A piece of the subject (case-insensitive). */
  subject?: string;
  from?: string;
  messageId?: string;
}

/** One journal line: a message as it arrived (its raw bytes in base64), or, in journals written before, as parsed. */
type JournalEntry = { at: number; received: Omit<ReceivedMessage, 'raw'> & { raw: string } } | { at: number; message: StoredMessage };

/** A kept message: its raw form until it is first read, its parse from then on. */
interface Kept {
  id: string;
  received?: ReceivedMessage;
  parsed?: Promise<StoredMessage>;
}

/**
 * Received messages, newest last in memory, each written to a JSON-lines
 * journal before the 250 reply — so a message the client saw accepted is
 * still listed after the sink restarts. DELETE /messages empties both.
 *
 * A message is parsed (mailparser, most of the CPU a message costs) when it is
 * first read over HTTP, not when it arrives: a bench sends thousands that
 * nobody reads, on the machine whose CPU it measures. Listing with a filter
 * reads every message, so the first such list after many messages is slower.
 * One that mailparser cannot read at all (a header block over 1 MB, say) is
 * served as far as the SMTP transaction tells it (parse-message.ts).
 */
export class MessageStore {
  private messages: Kept[] = [];
  private readonly byId = new Map<string, Kept>();
  private readonly journal: JsonLinesJournal<JournalEntry>;

  constructor(
    dataFile: string | undefined,
    private readonly retain: number,
    private readonly logger: Logger,
  ) {
    this.journal = new JsonLinesJournal(dataFile);
    const { entries, tornLines } = this.journal.readAll();
    for (const entry of entries) {
      if ('received' in entry)
        this.keep({ id: entry.received.id, received: { ...entry.received, raw: Buffer.from(entry.received.raw, 'base64') } });
      else this.keep({ id: entry.message.id, parsed: Promise.resolve(entry.message) });
    }
    if (tornLines > 0) logger.warn('skipped torn journal lines', { dataFile, tornLines });
    if (dataFile) logger.info('messages loaded', { dataFile, messages: this.messages.length });
  }

  add(message: ReceivedMessage): void {
    this.journal.append({ at: Date.now(), received: { ...message, raw: message.raw.toString('base64') } });
    this.keep({ id: message.id, received: message });
  }

  async get(id: string): Promise<StoredMessage | undefined> {
    const kept = this.byId.get(id);
    return kept && this.read(kept);
  }

  /** Newest first; `total` counts every match, `data` the first `limit`. */
  async list(filter: MessageFilter, limit: number): Promise<{ total: number; data: StoredMessage[] }> {
    // As they are now: messages that arrive or go while this one parses are not this answer's.
    const newestFirst = [...this.messages].reverse();
    if (!filter.to && !filter.subject && !filter.from && !filter.messageId) {
      return { total: newestFirst.length, data: await this.readEach(newestFirst.slice(0, limit)) };
    }
    const matches = (await this.readEach(newestFirst)).filter(matching(filter));
    return { total: matches.length, data: matches.slice(0, limit) };
  }

  get size(): number {
    return this.messages.length;
  }

  clear(): number {
    const count = this.messages.length;
    this.messages = [];
    this.byId.clear();
    this.journal.clear();
    return count;
  }

  private keep(message: Kept): void {
    this.messages.push(message);
    this.byId.set(message.id, message);
    if (this.messages.length > this.retain) this.byId.delete(this.messages.shift()!.id);
  }

  /** The message parsed, once: the parse is kept and the raw bytes let go. */
  private read(kept: Kept): Promise<StoredMessage> {
    if (!kept.parsed) {
      const received = kept.received!;
      kept.parsed = parseMessage(received).catch((error: unknown) => {
        this.logger.warn('could not parse a message', { id: received.id, error: error instanceof Error ? error.message : String(error) });
        return unparsedMessage(received);
      });
      kept.received = undefined;
    }
    return kept.parsed;
  }

  /** One after the other: parsing yields to the event loop, so the sink keeps accepting mail meanwhile. */
  private async readEach(kept: Kept[]): Promise<StoredMessage[]> {
    const messages: StoredMessage[] = [];
    for (const one of kept) messages.push(await this.read(one));
    return messages;
  }
}

function matching(filter: MessageFilter): (message: StoredMessage) => boolean {
  const to = filter.to?.toLowerCase();
  const subject = filter.subject?.toLowerCase();
  const from = filter.from?.toLowerCase();
  return (message) =>
    (!to || [...message.envelope.to, ...message.to, ...message.cc].some((address) => address.toLowerCase() === to)) &&
    (!subject || message.subject.toLowerCase().includes(subject)) &&
    (!from || message.from.toLowerCase().includes(from)) &&
    (!filter.messageId || message.messageId === filter.messageId);
}
