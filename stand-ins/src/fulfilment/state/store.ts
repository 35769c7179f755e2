import { JsonLinesJournal } from '../../shared/json-lines-journal.js';
import type { Logger } from '../../shared/log.js';
import type { Shipment } from './shipment.js';

/** A stored idempotent result: the first status and body per API key and Idempotency-Key. */
export interface IdempotencyRecord {
  scope: string;
  key: string;
  /** Method, path and canonical body: a reuse of the key must match it exactly. */
  fingerprint: string;
  status: number;
  body: string;
  createdAt: number;
}

/** One journal line: what one request (or one carrier event) changed, written together. */
interface JournalEntry {
  at: number;
  shipments?: Shipment[];
  idempotency?: IdempotencyRecord;
}

/**
 * Shipments and idempotent results in memory, made durable by a journal of
 * JSON lines replayed at start (DATA_FILE): a restarted provider still knows
 * every shipment, every action taken and every answer it owes a retry.
 * Shipments are replaced, never changed in place, so an answer already
 * built never changes under the caller.
 */
export class Store {
  private readonly shipments = new Map<string, Shipment>();
  /** References in registration order, and each one's index: list pages find their cursor at once. */
  private readonly order: string[] = [];
  private readonly position = new Map<string, number>();
  private readonly idempotency = new Map<string, IdempotencyRecord>();

  private constructor(
    private readonly journal: JsonLinesJournal<JournalEntry>,
    private readonly idempotencyTtlMs: number,
  ) {}

  static open(dataFile: string | undefined, idempotencyTtlMs: number, logger: Logger): Store {
    const store = new Store(new JsonLinesJournal<JournalEntry>(dataFile), idempotencyTtlMs);
    const { entries, tornLines } = store.journal.readAll();
    for (const entry of entries) {
      for (const shipment of entry.shipments ?? []) store.apply(shipment);
      if (entry.idempotency && !store.isExpired(entry.idempotency)) store.idempotency.set(entry.idempotency.scope, entry.idempotency);
    }
    if (tornLines > 0) logger.warn('skipped torn journal lines', { dataFile, tornLines });
    if (dataFile) logger.info('state loaded', { dataFile, entries: entries.length, shipments: store.shipments.size });
    return store;
  }

  get(reference: string): Shipment | undefined {
    return this.shipments.get(reference);
  }

  /** In registration order. */
  all(): IterableIterator<Shipment> {
    return this.shipments.values();
  }

  /** Up to `limit` shipments registered after `startingAfter` (from the first without it) that pass `keep`, and whether more follow. */
  page(startingAfter: string | undefined, limit: number, keep: (shipment: Shipment) => boolean): { data: Shipment[]; hasMore: boolean } {
    const data: Shipment[] = [];
    for (let i = startingAfter === undefined ? 0 : this.position.get(startingAfter)! + 1; i < this.order.length; i++) {
      const shipment = this.shipments.get(this.order[i]!)!;
      if (!keep(shipment)) continue;
      if (data.length === limit) return { data, hasMore: true };
      data.push(shipment);
    }
    return { data, hasMore: false };
  }

  get size(): number {
    return this.shipments.size;
  }

  /** Writes the changed shipments and the idempotent result as one line, then makes them visible. */
  commit(shipments: Shipment[], idempotency?: IdempotencyRecord): void {
    if (shipments.length === 0 && !idempotency) return;
    this.journal.append({ at: Date.now(), ...(shipments.length ? { shipments } : {}), ...(idempotency ? { idempotency } : {}) });
    for (const shipment of shipments) this.apply(shipment);
    if (idempotency) this.idempotency.set(idempotency.scope, idempotency);
  }

  findIdempotent(scope: string): IdempotencyRecord | undefined {
    const record = this.idempotency.get(scope);
    if (record && this.isExpired(record)) {
      this.idempotency.delete(scope);
      return undefined;
    }
    return record;
  }

  private apply(shipment: Shipment): void {
    if (!this.position.has(shipment.reference)) {
      this.position.set(shipment.reference, this.order.length);
      this.order.push(shipment.reference);
    }
    this.shipments.set(shipment.reference, shipment);
  }

  reset(): void {
    this.shipments.clear();
    this.order.length = 0;
    this.position.clear();
    this.idempotency.clear();
    this.journal.clear();
  }

  private isExpired(record: IdempotencyRecord): boolean {
    return Date.now() - record.createdAt > this.idempotencyTtlMs;
  }
}
