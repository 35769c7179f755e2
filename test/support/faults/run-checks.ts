import type { EngineStack } from '../remediation-stack.js';
import type { SeededIncident } from './seed-incident.js';

/**
 * What the fault suite checks after the run, each count taken from the
 * stand-ins' own records (refunds listed at the Stripe stand-in, its double-
 * refund report, the fulfilment stand-in's action log, the SMTP sink's
 * messages) or from the database — never from what the engine says it did.
 */
export interface RunCounts {
  runStatus: string;
  orders: number;
  /** Orders whose two steps (stop shipment, refund) are both final. */
  ordersFinal: number;
  steps: Record<string, number>;
  /** Steps that needed more than one attempt, and those that found the provider's record of a lost answer. */
  stepsRetried: number;
  stepsFoundAtProvider: number;
  providerRefunds: number;
  /** Charges with more than one refund that did not fail (from the refund list), and the stand-in's own report. */
  chargesRefundedTwice: number;
  standInDoubleRefundReport: number;
  customers: number;
  customersWithOneNotice: number;
  customersWithTwoOrMoreNotices: number;
  customersWithNoNotice: number;
  /** Messages the sink holds for the run's customers; a resend after a crash repeats its Message-ID. */
  messagesReceived: number;
  outboxSent: number;
  shipmentActionsAppliedTwice: number;
  /** Per currency, minor units. */
  providerRefundedMinor: Record<string, number>;
  ledgerRefundMinor: Record<string, number>;
  ledgerEqualsProvider: boolean;
}

export async function runCounts(stack: EngineStack, incident: SeededIncident, runId: string): Promise<RunCounts> {
  const db = stack.api.db;
  const { rows: runRows } = await db.query<{ status: string }>(`SELECT status FROM remediation_run WHERE id = $1`, [runId]);
  const { rows: stepRows } = await db.query<{ status: string; n: number }>(
    `SELECT status, count(*)::int AS n FROM remediation_step WHERE run_id = $1 GROUP BY 1`,
    [runId],
  );
  const { rows: finalRows } = await db.query<{ final: number; retried: number; found: number }>(
    `SELECT
       (SELECT count(*)::int FROM (
          SELECT o.id FROM unnest($2::uuid[]) AS o(id)
          JOIN remediation_step s ON s.order_id = o.id AND s.run_id = $1
          GROUP BY o.id
          HAVING count(*) = 2 AND bool_and(s.status IN ('succeeded', 'skipped', 'failed', 'cancelled'))) f) AS final,
       (SELECT count(*)::int FROM remediation_step WHERE run_id = $1 AND attempts > 1) AS retried,
       (SELECT count(*)::int FROM remediation_step WHERE run_id = $1 AND outcome->>'how' = 'found') AS found`,
    [runId, incident.orderIds],
  );

  // Every refund the stand-in holds (it is this suite's own: the run made all of them).
  const refunds: { charge: string; currency: string; amount: number; status: string | null }[] = [];
  for await (const refund of stack.stripeClient.refunds.list({ limit: 100 })) {
    refunds.push({
      charge: refund.charge as string,
      currency: refund.currency.toUpperCase(),
      amount: refund.amount,
      status: refund.status,
    });
  }
  const standing = refunds.filter((refund) => refund.status !== 'failed' && refund.status !== 'canceled');
  const perCharge = new Map<string, number>();
  const providerRefundedMinor: Record<string, number> = {};
  for (const refund of standing) {
    perCharge.set(refund.charge, (perCharge.get(refund.charge) ?? 0) + 1);
    providerRefundedMinor[refund.currency] = (providerRefundedMinor[refund.currency] ?? 0) + refund.amount;
  }
  const stats = await stack.stripe.stats();

  const { rows: ledgerRows } = await db.query<{ currency: string; minor: string }>(
    `SELECT currency, sum(amount_minor)::text AS minor FROM ledger_entry
      WHERE incident_id = $1 AND category IN ('refund_issued', 'refund_reversed') GROUP BY 1`,
    [incident.incidentId],
  );
  const ledgerRefundMinor = Object.fromEntries(ledgerRows.map((row) => [row.currency, Number(row.minor)]));

  // The sink's messages per customer address: distinct Message-IDs are distinct notices.
  const perCustomer = new Array<{ messages: number; ids: number }>(incident.customers);
  await inParallel(incident.customers, 16, async (customer) => {
    const answer = await stack.smtp.get(`/messages?to=${encodeURIComponent(incident.emailOf(customer))}&limit=1000`);
    const data = answer.body.data as { messageId: string | null }[];
    perCustomer[customer] = { messages: data.length, ids: new Set(data.map((message) => message.messageId)).size };
  });
  const { rows: outbox } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM notification_outbox WHERE incident_id = $1 AND status = 'sent'`,
    [incident.incidentId],
  );

  const currencies = new Set([...Object.keys(providerRefundedMinor), ...Object.keys(ledgerRefundMinor)]);
  return {
    runStatus: runRows[0]!.status,
    orders: incident.orderIds.length,
    ordersFinal: finalRows[0]!.final,
    steps: Object.fromEntries(stepRows.map((row) => [row.status, row.n])),
    stepsRetried: finalRows[0]!.retried,
    stepsFoundAtProvider: finalRows[0]!.found,
    providerRefunds: standing.length,
    chargesRefundedTwice: [...perCharge.values()].filter((n) => n > 1).length,
    standInDoubleRefundReport: stats.doubleRefundedCharges.length,
    customers: incident.customers,
    customersWithOneNotice: perCustomer.filter((c) => c.ids === 1).length,
    customersWithTwoOrMoreNotices: perCustomer.filter((c) => c.ids > 1).length,
    customersWithNoNotice: perCustomer.filter((c) => c.ids === 0).length,
    messagesReceived: perCustomer.reduce((sum, c) => sum + c.messages, 0),
    outboxSent: outbox[0]!.n,
    shipmentActionsAppliedTwice: (await stack.fulfilment.stats()).actionsAppliedTwice,
    providerRefundedMinor,
    ledgerRefundMinor,
    ledgerEqualsProvider: [...currencies].every((c) => (providerRefundedMinor[c] ?? 0) === (ledgerRefundMinor[c] ?? 0)),
  };
}

async function inParallel(count: number, width: number, work: (index: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, count) }, async () => {
      while (next < count) await work(next++);
    }),
  );
}
