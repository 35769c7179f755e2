import type { EntityManager } from 'typeorm';
import { PreparedStatement } from '../database/prepared-statement.js';
import { uuidOrNull } from '../http/is-uuid.js';
import type { LedgerCategory, LedgerSourceType } from './ledger-categories.js';
import type { EntryDraft, OrderBalances, OrderFacts } from './ledger-derivation.js';

/**
 * The ledger's rows: the orders an entry is booked against, locked and read with their balances,
 * and the entries inserted once by source. LedgerWriter decides what to book; this is how.
 */

export interface WrittenEntry {
  id: string;
  category: LedgerCategory;
  currency: string;
  amountMinor: number;
  sourceType: LedgerSourceType;
  sourceId: string;
}

/** Where a fact is booked: the incident given (a step's run), or the one named if the order is a member there (see `openOrders`). */
export type OrderIncident = { id: string } | { named?: string | null };

export const entryKey = (entry: { sourceType: string; sourceId: string; category: string }) =>
  `${entry.sourceType}/${entry.sourceId}/${entry.category}`;

/**
 * Takes the per-order transaction locks that serialise the orders' ledger
 * writes (so two events of one order book the provider fee once), in order id
 * order, then finds the incident to book each to and reads each order with its
 * balances: two statements. The balances must be read by a statement that
 * starts after the locks are held — a statement's snapshot is taken when it
 * starts, so one that took a lock itself could miss the entries of the writer
 * it waited for.
 *
 * The incident: the one given (a step's run); else the one named (a refund's
 * `metadata.incident_id`) if the order is a member there, else the order's
 * open incident, else the latest one it was confirmed or suspected in. Null
 * (for that position) when the order is in no incident (nothing to book) or unknown.
 */
export async function openOrders(
  manager: EntityManager,
  wanted: { orderId: string; incident: OrderIncident }[],
): Promise<(OpenOrder | null)[]> {
  const orderIds = wanted.map((want) => uuidOrNull(want.orderId));
  const known = orderIds.filter((id): id is string => id !== null);
  if (!known.length) return wanted.map(() => null);
  await lockOrders.run(manager, [known]);
  const rows = await ordersToBook.run(manager, [
    orderIds,
    wanted.map((want) => ('id' in want.incident ? want.incident.id : null)),
    wanted.map((want) => ('id' in want.incident ? null : uuidOrNull(want.incident.named))),
  ]);
  const byPosition = new Map(rows.map((row) => [Number(row.position), row]));
  return wanted.map((_, i) => {
    const row = byPosition.get(i + 1);
    if (!row?.incidentId) return null;
    const { position: _position, incidentId, moneyBackMinor, providerFeeMinor, goodsLostMinor, ...order } = row;
    return {
      incidentId,
      order: order as OrderFacts,
      balances: {
        moneyBackMinor: Number(moneyBackMinor),
        providerFeeMinor: Number(providerFeeMinor),
        goodsLostMinor: Number(goodsLostMinor),
      },
    };
  });
}

/** The orders' ledger locks, in id order (every writer of several orders takes them so). */
const lockOrders = new PreparedStatement(`
  SELECT count(pg_advisory_xact_lock(hashtextextended('ledger:' || id::text, 0)))
    FROM (SELECT DISTINCT id FROM unnest($1::uuid[]) AS u(id) ORDER BY id) locked`);

/**
 * Each wanted order's facts, the incident to book to (given, or looked up: see `openOrders`), and
 * what the ledger holds for it so far in its currency (every incident: goods and fees are lost once).
 */
const ordersToBook = new PreparedStatement(`
  SELECT u.position, o.id, o.currency, o.total_minor AS "totalMinor", o.cost_of_goods_minor AS "costOfGoodsMinor",
         o.shipping_label_cost_minor AS "labelCostMinor", o.fulfilment_state AS "fulfilmentState",
         COALESCE(u.given, (SELECT incident_id FROM incident_order WHERE order_id = o.id AND status <> 'excluded'
                             ORDER BY (incident_id = u.named) IS TRUE DESC, open DESC, changed_at DESC LIMIT 1)) AS "incidentId",
         b."moneyBackMinor", b."providerFeeMinor", b."goodsLostMinor"
    FROM unnest($1::uuid[], $2::uuid[], $3::uuid[]) WITH ORDINALITY AS u(order_id, given, named, position)
    JOIN orders o ON o.id = u.order_id
    CROSS JOIN LATERAL (
      SELECT COALESCE(sum(amount_minor) FILTER (WHERE category IN ('refund_issued', 'refund_reversed', 'dispute_amount')), 0)::bigint AS "moneyBackMinor",
             COALESCE(sum(amount_minor) FILTER (WHERE category = 'provider_fee_not_returned'), 0)::bigint AS "providerFeeMinor",
             COALESCE(sum(amount_minor) FILTER (WHERE category IN ('goods_lost', 'goods_recovered')), 0)::bigint AS "goodsLostMinor"
        FROM ledger_entry WHERE order_id = o.id AND currency = o.currency) b`);

/** An order under the ledger's lock: the incident it books to, its facts, its balances before this write. */
export interface OpenOrder {
  incidentId: string;
  order: OrderFacts;
  balances: OrderBalances;
}

const columns = `incident_id, order_id, currency, category, amount_minor, source_type, source_id, run_id, step_id, provider_ref, event_id, occurred_at, detail`;

/**
 * One fixed statement for any number of entries (arrays, one per column), so it is prepared once
 * per connection: every step and refund webhook books through it.
 */
const entriesInsert = new PreparedStatement(`
  INSERT INTO ledger_entry (${columns})
  SELECT incident_id, order_id, currency, category, amount_minor, source_type, source_id, run_id, step_id, provider_ref, event_id,
         COALESCE(occurred_at, clock_timestamp()), detail
    FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::text[], $8::uuid[], $9::uuid[],
                $10::text[], $11::text[], $12::timestamptz[], $13::jsonb[])
         AS d(incident_id, order_id, currency, category, amount_minor, source_type, source_id, run_id, step_id, provider_ref, event_id,
              occurred_at, detail)
  ON CONFLICT (source_type, source_id, category) DO NOTHING
  RETURNING id::text AS id, category, currency, amount_minor AS "amountMinor", source_type AS "sourceType", source_id AS "sourceId"`);

/** Inserts drafts; a fact already in the ledger (same source and category) is skipped. Returns what was written. */
export async function insertEntries(manager: EntityManager, drafts: readonly EntryDraft[]): Promise<WrittenEntry[]> {
  if (drafts.length === 0) return [];
  const column = <T>(pick: (draft: EntryDraft) => T) => drafts.map(pick);
  return entriesInsert.run<WrittenEntry>(manager, [
    column((d) => d.incidentId),
    column((d) => d.orderId),
    column((d) => d.currency),
    column((d) => d.category),
    column((d) => d.amountMinor),
    column((d) => d.sourceType),
    column((d) => d.sourceId),
    column((d) => uuidOrNull(d.runId)),
    column((d) => uuidOrNull(d.stepId)),
    column((d) => d.providerRef),
    column((d) => d.eventId),
    column((d) => d.occurredAt),
    column((d) => JSON.stringify(d.detail)),
  ]);
}
