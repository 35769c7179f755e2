import { JsonLinesJournal } from '../shared/json-lines-journal.js';
import type { Logger } from '../shared/log.js';
import type { StoredMessage } from './message.js';

export interface MessageFilter {
  /** An address among the envelope recipients, To or Cc (case-insensitive). */
  to?: string;
  /** A piece of the subject (case-insensitive). */
  subject?: string;
  from?: string;
  messageId?: string;
}

/**
 * Received messages, newest last in memory, each written to a JSON-lines
 * journal before the 250 reply — so a message the client saw accepted is
 * still listed after the sink restarts. DELETE /messages empties both.
 */
export class MessageStore {
  private messages: StoredMessage[] = [];
  private readonly byId = new Map<string, StoredMessage>();
  private readonly journal: JsonLinesJournal<{ at: number; message: StoredMessage }>;

  constructor(
    dataFile: string | undefined,
    private readonly retain: number,
    logger: Logger,
  ) {
    this.journal = new JsonLinesJournal(dataFile);
    const { entries, tornLines } = this.journal.readAll();
    for (const entry of entries) this.keep(entry.message);
    if (tornLines > 0) logger.warn('skipped torn journal lines', { dataFile, tornLines });
    if (dataFile) logger.info('messages loaded', { dataFile, messages: this.messages.length });
  }

  add(message: StoredMessage): void {
    this.journal.append({ at: Date.now(), message });
    this.keep(message);
  }

  get(id: string): StoredMessage | undefined {
    return this.byId.get(id);
  }

  /** Newest first; `total` counts every match, `data` the first `limit`. */
  list(filter: MessageFilter, limit: number): { total: number; data: StoredMessage[] } {
    const to = filter.to?.toLowerCase();
    const subject = filter.subject?.toLowerCase();
    const from = filter.from?.toLowerCase();
    const data: StoredMessage[] = [];
    let total = 0;
    for (let i = this.messages.length - 1; i >= 0; i--) {
      const message = this.messages[i]!;
      if (to && ![...message.envelope.to, ...message.to, ...message.cc].some((address) => address.toLowerCase() === to)) continue;
      if (subject && !message.subject.toLowerCase().includes(subject)) continue;
      if (from && !message.from.toLowerCase().includes(from)) continue;
      if (filter.messageId && message.messageId !== filter.messageId) continue;
      total++;
      if (data.length < limit) data.push(message);
    }
    return { total, data };
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

  private keep(message: StoredMessage): void {
    this.messages.push(message);
    this.byId.set(message.id, message);
    if (this.messages.length > this.retain) this.byId.delete(this.messages.shift()!.id);
  }
}
