import { JsonLinesJournal } from '../../shared/json-lines-journal.js';
import type { Logger } from '../../shared/log.js';
import { kinds, type AnyObject, type EventObject, type Kind, type ObjectsByKind } from './objects.js';

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

/**
 * Where the delivery of one event to one webhook endpoint stands. `queued` is
 * written with the event; `delivered` (a 2xx came back) or `abandoned` (every
 * attempt failed, or the endpoint went away) when the dispatcher is done.
 */
export type DeliveryOutcome = 'queued' | 'delivered' | 'abandoned';
export interface DeliveryRecord {
  event: string;
  endpoint: string;
  outcome: DeliveryOutcome;
}

/** What a resource announces for webhooks; events.ts turns it into an `event` object. */
export interface Announcement {
  type: string;
  object: EventObject;
  previousAttributes?: Record<string, unknown>;
}

/** One line of the journal: everything one request changed, written together. */
interface JournalEntry {
  at: number;
  puts?: { kind: Kind; object: AnyObject }[];
  removes?: { kind: Kind; id: string }[];
  deliveries?: DeliveryRecord[];
  idempotency?: IdempotencyRecord;
}

/**
 * The changes one request makes. Puts apply to memory at once (a request's
 * handler runs synchronously, so no other request sees a half-made change)
 * and reach the journal in one line when the request commits.
 */
export class Change {
  readonly puts: { kind: Kind; object: AnyObject }[] = [];
  readonly removes: { kind: Kind; id: string }[] = [];
  readonly deliveries: DeliveryRecord[] = [];
  readonly announcements: Announcement[] = [];

  constructor(private readonly store: Store) {}

  put<K extends Kind>(kind: K, object: ObjectsByKind[K]): ObjectsByKind[K] {
    this.store.apply(kind, object);
    this.puts.push({ kind, object });
    return object;
  }

  remove(kind: Kind, id: string): void {
    this.store.applyRemove(kind, id);
    this.removes.push({ kind, id });
  }

  /**
   * Announces an event (`refund.created`, with the object as it is now and, for
   * `*.updated`, what changed). It becomes an event only if the change commits.
   */
  emit(type: string, object: EventObject, previousAttributes?: Record<string, unknown>): void {
    this.announcements.push({ type, object, ...(previousAttributes ? { previousAttributes } : {}) });
  }

  /** The event is to be sent to this endpoint (events.ts decides which endpoints). */
  queueDelivery(event: string, endpoint: string): void {
    this.store.applyDelivery({ event, endpoint, outcome: 'queued' });
    this.deliveries.push({ event, endpoint, outcome: 'queued' });
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
  dispute: ['charge', 'payment_intent'],
  event: [],
  webhook_endpoint: [],
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
    dispute: new Map(),
    event: new Map(),
    webhook_endpoint: new Map(),
  };
  /** Creation order across kinds: list pages and cursors follow it, newest first. */
  private readonly sequence = new Map<string, number>();
  private nextSequence = 0;
  /** Ids oldest first, per kind and per `kind.field=value` (a bench may hold 100k refunds). */
  private readonly idsByKind = new Map<Kind, string[]>(kinds.map((kind) => [kind, []]));
  private readonly idsByReference = new Map<string, string[]>();
  /** How many of the oldest event ids are pruned but not yet cut off the event index (see pruneEvents). */
  private prunedEvents = 0;
  readonly idempotency = new Map<string, IdempotencyRecord>();
  /** Per event, per endpoint: where its webhook delivery stands (only events that had endpoints). */
  private readonly deliveries = new Map<string, Map<string, DeliveryOutcome>>();

  private constructor(
    private readonly journal: JsonLinesJournal<JournalEntry>,
    private readonly idempotencyTtlMs: number,
    /** Stripe keeps events 30 days; the stand-in keeps the newest N, so a bench's memory stays bounded. */
    private readonly eventRetention: number,
  ) {}

  static open(dataFile: string | undefined, idempotencyTtlMs: number, logger: Logger, eventRetention = 20_000): Store {
    const store = new Store(new JsonLinesJournal<JournalEntry>(dataFile), idempotencyTtlMs, eventRetention);
    const { entries, tornLines } = store.journal.readAll();
    for (const entry of entries) {
      for (const put of entry.puts ?? []) store.apply(put.kind, put.object);
      for (const removal of entry.removes ?? []) store.applyRemove(removal.kind, removal.id);
      for (const delivery of entry.deliveries ?? []) store.applyDelivery(delivery);
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
    if (field === undefined) {
      if (kind === 'event') this.cutPrunedEvents();
      return this.idsByKind.get(kind)!;
    }
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
    const isNew = !this.sequence.has(object.id);
    if (isNew) {
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
    if (isNew && kind === 'event') this.pruneEvents();
  }

  /** Called by Change.remove (and replay) only. Removing what is not there is a no-op. */
  applyRemove(kind: Kind, id: string): void {
    const object = this.objects[kind].get(id);
    if (!object) return;
    this.objects[kind].delete(id);
    this.sequence.delete(id);
    removeFrom(this.idsByKind.get(kind)!, id);
    for (const field of indexedFields[kind]) {
      const value = (object as unknown as Record<string, unknown>)[field];
      if (typeof value === 'string') removeFrom(this.idsByReference.get(`${kind}.${field}=${value}`) ?? [], id);
    }
    if (kind === 'event') this.deliveries.delete(id);
  }

  applyDelivery({ event, endpoint, outcome }: DeliveryRecord): void {
    if (!this.objects.event.has(event)) return; // pruned meanwhile
    const byEndpoint = this.deliveries.get(event) ?? new Map<string, DeliveryOutcome>();
    byEndpoint.set(endpoint, outcome);
    this.deliveries.set(event, byEndpoint);
  }

  /** The dispatcher's verdict on one delivery: one journal line of its own. */
  recordDelivery(record: DeliveryRecord): void {
    if (!this.objects.event.has(record.event)) return;
    this.applyDelivery(record);
    this.journal.append({ at: Date.now(), deliveries: [record] });
  }

  /** Stripe's `pending_webhooks`: endpoints that have not yet answered this event with a 2xx. */
  pendingWebhooks(event: string): number {
    let pending = 0;
    for (const outcome of this.deliveries.get(event)?.values() ?? []) if (outcome !== 'delivered') pending++;
    return pending;
  }

  /** Deliveries still to be attempted, oldest event first: what a restarted stand-in resumes. */
  queuedDeliveries(): { event: string; endpoint: string }[] {
    const queued: { event: string; endpoint: string }[] = [];
    for (const [event, byEndpoint] of this.deliveries) {
      for (const [endpoint, outcome] of byEndpoint) if (outcome === 'queued') queued.push({ event, endpoint });
    }
    return queued;
  }

  /** Writes the request's changes and its idempotent result as one journal line. */
  commit(change: Change, idempotency?: IdempotencyRecord): void {
    if (idempotency) this.idempotency.set(idempotency.scope, idempotency);
    // An object put twice in one request (a PaymentIntent created, then confirmed) is written once, as it ended.
    const puts = [...new Map(change.puts.map((put) => [put.object.id, put])).values()];
    const { removes, deliveries } = change;
    if (puts.length === 0 && removes.length === 0 && deliveries.length === 0 && !idempotency) return;
    this.journal.append({
      at: Date.now(),
      ...(puts.length ? { puts } : {}),
      ...(removes.length ? { removes } : {}),
      ...(deliveries.length ? { deliveries } : {}),
      ...(idempotency ? { idempotency } : {}),
    });
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
    this.prunedEvents = 0;
    this.idsByReference.clear();
    this.idempotency.clear();
    this.deliveries.clear();
    this.journal.clear();
  }

  /**
   * Drops the oldest events beyond the retention (they leave the journal's replay the same way).
   * Their ids are cut off the front of the index in batches: Array.shift moves the whole array
   * once it is big (20,000 ids: some 15 µs per event), and a bench runs tens of thousands of
   * events past the retention. Until then they sit in front of the live ids; ids('event') cuts them first.
   */
  private pruneEvents(): void {
    const ids = this.idsByKind.get('event')!;
    while (ids.length - this.prunedEvents > this.eventRetention) {
      const oldest = ids[this.prunedEvents++]!;
      this.objects.event.delete(oldest);
      this.sequence.delete(oldest);
      this.deliveries.delete(oldest);
    }
    if (this.prunedEvents >= 1_000) this.cutPrunedEvents();
  }

  private cutPrunedEvents(): void {
    if (this.prunedEvents === 0) return;
    this.idsByKind.get('event')!.splice(0, this.prunedEvents);
    this.prunedEvents = 0;
  }

  private isExpired(record: IdempotencyRecord): boolean {
    return Date.now() - record.createdAt > this.idempotencyTtlMs;
  }
}

function removeFrom(ids: string[], id: string): void {
  const index = ids.lastIndexOf(id);
  if (index !== -1) ids.splice(index, 1);
}
