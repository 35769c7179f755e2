import { JsonLinesJournal } from '../../shared/json-lines-journal.js';
import type { Logger } from '../../shared/log.js';
import type { StandInEvent } from '../events.js';
import { kinds, type AnyObject, type Kind, type ObjectsByKind } from './objects.js';

/** A stored idempotent result: Stripe keeps the first status and body per key and API key. */
export interface IdempotencyRecord {
  /** Hash of the API key plus the key: the same key under another API key is another request. */
  scope: string;
  key: string;
  method: string;
  path: string;
  /** Canonical form of the parameters, compared on every reuse of the key. */
  fingerprint: string;
  status: number;
  body: string;
  requestId: string;
  createdAt: number;
}

/** One line of the journal: everything one request changed, written together. */
interface JournalEntry {
  at: number;
  puts?: { kind: Kind; object: AnyObject }[];
  idempotency?: IdempotencyRecord;
}

/**
 * The changes one request makes. Puts apply to memory at once (a request's
 * handler runs synchronously, so no other request sees a half-made change)
 * and reach the journal in one line when the request commits.
 */
export class Change {
  readonly puts: { kind: Kind; object: AnyObject }[] = [];
  readonly events: StandInEvent[] = [];

  constructor(private readonly store: Store) {}

  put<K extends Kind>(kind: K, object: ObjectsByKind[K]): ObjectsByKind[K] {
    this.store.apply(kind, object);
    this.puts.push({ kind, object });
    return object;
  }

  /** Announces a change for webhooks; it leaves the stand-in only if the change commits. */
  emit(type: string, object: AnyObject): void {
    this.events.push({ type, object });
  }
}

/**
 * The reference fields list endpoints filter on. They never change once an
 * object exists, so each index is an append-only list of ids.
 */
const indexedFields: { [K in Kind]: readonly (keyof ObjectsByKind[K] & string)[] } = {
  payment_intent: ['customer'],
  charge: ['payment_intent', 'customer'],
  refund: ['charge', 'payment_intent'],
  payment_method: [],
};

/**
 * All API objects and idempotent results, in memory, made durable by a
 * journal of JSON lines that is replayed at start (DATA_FILE); the demo
 * restarts the stand-in and expects its charges and refunds to still be there.
 */
export class Store {
  private readonly objects: { [K in Kind]: Map<string, ObjectsByKind[K]> } = {
    payment_intent: new Map(),
    charge: new Map(),
    refund: new Map(),
    payment_method: new Map(),
  };
  /** Creation order across kinds: list pages and cursors follow it, newest first. */
  private readonly sequence = new Map<string, number>();
  private nextSequence = 0;
  /** Ids oldest first, per kind and per `kind.field=value` (a bench may hold 100k refunds). */
  private readonly idsByKind = new Map<Kind, string[]>(kinds.map((kind) => [kind, []]));
  private readonly idsByReference = new Map<string, string[]>();
  readonly idempotency = new Map<string, IdempotencyRecord>();

  private constructor(
    private readonly journal: JsonLinesJournal<JournalEntry>,
    private readonly idempotencyTtlMs: number,
  ) {}

  static open(dataFile: string | undefined, idempotencyTtlMs: number, logger: Logger): Store {
    const store = new Store(new JsonLinesJournal<JournalEntry>(dataFile), idempotencyTtlMs);
    const { entries, tornLines } = store.journal.readAll();
    for (const entry of entries) {
      for (const put of entry.puts ?? []) store.apply(put.kind, put.object);
      if (entry.idempotency && !store.isExpired(entry.idempotency)) store.idempotency.set(entry.idempotency.scope, entry.idempotency);
    }
    if (tornLines > 0) logger.warn('skipped torn journal lines', { dataFile, tornLines });
    if (dataFile) logger.info('state loaded', { dataFile, entries: entries.length, ...store.counts() });
    return store;
  }

  get<K extends Kind>(kind: K, id: string): ObjectsByKind[K] | undefined {
    return this.objects[kind].get(id);
  }

  /** Newest first, as Stripe lists. */
  list<K extends Kind>(kind: K): ObjectsByKind[K][] {
    return [...this.objects[kind].values()].reverse();
  }

  /**
   * Ids of the kind, oldest first, optionally only those whose indexed field
   * equals the value (`ids('refund', { charge: 'ch_…' })`). The array is the
   * store's own: read it, never change it.
   */
  ids<K extends Kind>(kind: K, where: Partial<Record<(typeof indexedFields)[K][number], string>> = {}): readonly string[] {
    const [field, value] = Object.entries(where)[0] ?? [];
    if (field === undefined) return this.idsByKind.get(kind)!;
    return this.idsByReference.get(`${kind}.${field}=${value}`) ?? [];
  }

  sequenceOf(id: string): number | undefined {
    return this.sequence.get(id);
  }

  counts(): Record<Kind, number> {
    return Object.fromEntries(kinds.map((kind) => [kind, this.objects[kind].size])) as Record<Kind, number>;
  }

  begin(): Change {
    return new Change(this);
  }

  /** Called by Change.put only. */
  apply<K extends Kind>(kind: K, object: ObjectsByKind[K]): void {
    if (!this.sequence.has(object.id)) {
      this.sequence.set(object.id, this.nextSequence++);
      this.idsByKind.get(kind)!.push(object.id);
      for (const field of indexedFields[kind]) {
        const value = object[field];
        if (typeof value !== 'string') continue;
        const key = `${kind}.${field}=${value}`;
        const ids = this.idsByReference.get(key);
        if (ids) ids.push(object.id);
        else this.idsByReference.set(key, [object.id]);
      }
    }
    this.objects[kind].set(object.id, object);
  }

  /** Writes the request's changes and its idempotent result as one journal line. */
  commit(change: Change, idempotency?: IdempotencyRecord): void {
    if (idempotency) this.idempotency.set(idempotency.scope, idempotency);
    // An object put twice in one request (a PaymentIntent created, then confirmed) is written once, as it ended.
    const puts = [...new Map(change.puts.map((put) => [put.object.id, put])).values()];
    if (puts.length === 0 && !idempotency) return;
    this.journal.append({ at: Date.now(), ...(puts.length ? { puts } : {}), ...(idempotency ? { idempotency } : {}) });
  }

  findIdempotent(scope: string): IdempotencyRecord | undefined {
    const record = this.idempotency.get(scope);
    if (record && this.isExpired(record)) {
      // Stripe prunes keys after 24 hours; a reused old key is a new request.
      this.idempotency.delete(scope);
      return undefined;
    }
    return record;
  }

  reset(): void {
    for (const kind of kinds) this.objects[kind].clear();
    this.sequence.clear();
    this.nextSequence = 0;
    for (const ids of this.idsByKind.values()) ids.length = 0;
    this.idsByReference.clear();
    this.idempotency.clear();
    this.journal.clear();
  }

  private isExpired(record: IdempotencyRecord): boolean {
    return Date.now() - record.createdAt > this.idempotencyTtlMs;
  }
}
