import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The loss ledger (issue 7, backend/src/ledger/): one append-only row per money
 * event of an incident's order, and the reconciliation reports that compare
 * its refunds with the payment provider's.
 *
 * Sign convention (backend/src/ledger/ledger-categories.ts): a positive amount
 * is a cost of the incident to the merchant, a negative one money or value
 * that came back. Every tally is `sum(amount_minor)` per currency.
 */
export class Ledger1764700000000 implements MigrationInterface {
  name = 'Ledger1764700000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE ledger_entry (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        incident_id uuid NOT NULL REFERENCES incident(id),
        order_id uuid NOT NULL REFERENCES orders(id),
        currency char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
        category text NOT NULL CHECK (category IN ('goods_lost', 'outbound_shipping', 'label_credit', 'intercept_fee', 'return_shipping',
          'refund_issued', 'refund_reversed', 'provider_fee_not_returned', 'dispute_amount', 'dispute_fee', 'goods_recovered')),
        amount_minor bigint NOT NULL,
        -- What the entry was derived from; with the category it is unique, so a replayed
        -- event, a retried step or a second webhook delivery writes nothing twice.
        --   order: the order's standing costs (outbound label, goods lost or recovered), once per order
        --   step: a shipment step's provider money (label credit, intercept fee, return label)
        --   refund / refund_failure: a provider refund going out / failing afterwards
        --   dispute / dispute_reinstatement: a chargeback taking the money / giving it back
        source_type text NOT NULL CHECK (source_type IN ('order', 'step', 'refund', 'refund_failure', 'dispute', 'dispute_reinstatement')),
        source_id text NOT NULL CHECK (length(source_id) BETWEEN 1 AND 255),
        -- Drill-down only, no foreign keys: the ledger outlives the remediation tables' rules.
        run_id uuid,
        step_id uuid,
        -- The provider's record (re_…, du_…, act_…) and the webhook event that brought it, when there was one.
        provider_ref text,
        event_id text,
        occurred_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        -- How the amount was derived (the fee model used, the shipment action), for an auditor.
        detail jsonb NOT NULL DEFAULT '{}',
        -- Pure costs are positive, pure recoveries negative; a fee or a chargeback can be corrected by a
        -- negative entry of its own category (the refund it went with failed, the dispute was won).
        CONSTRAINT ledger_entry_sign CHECK (CASE
          WHEN category IN ('label_credit', 'refund_reversed', 'goods_recovered') THEN amount_minor < 0
          WHEN category IN ('provider_fee_not_returned', 'dispute_amount', 'dispute_fee') THEN amount_minor <> 0
          ELSE amount_minor > 0 END),
        CONSTRAINT ledger_entry_once UNIQUE (source_type, source_id, category)
      )`);
    // The tally (totals and recovery over time, one index-only scan per incident, any time range) and the
    // entries list in time order. Append-only rows are soon all-visible, so the heap is not read.
    await db.query(
      `CREATE INDEX ledger_entry_incident_time_idx ON ledger_entry (incident_id, occurred_at, id) INCLUDE (currency, category, amount_minor)`,
    );
    // The finance report and export: every incident's entries in a date range.
    await db.query(
      `CREATE INDEX ledger_entry_occurred_idx ON ledger_entry (occurred_at, id) INCLUDE (incident_id, currency, category, amount_minor)`,
    );
    // The writer's per-order balances (provider fee rule, goods recovered) and the entries list's order filter.
    await db.query(`CREATE INDEX ledger_entry_order_idx ON ledger_entry (order_id, category) INCLUDE (currency, amount_minor)`);
    // Reconciliation: the ledger's side of each provider refund.
    await db.query(`CREATE INDEX ledger_entry_provider_ref_idx ON ledger_entry (provider_ref) WHERE provider_ref IS NOT NULL`);

    // Append-only, enforced by the database like audit_log: corrections are new entries, never edits.
    await db.query(`
      CREATE FUNCTION ledger_entry_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'ledger_entry is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await db.query(`
      CREATE TRIGGER ledger_entry_no_update_delete BEFORE UPDATE OR DELETE ON ledger_entry
      FOR EACH ROW EXECUTE FUNCTION ledger_entry_is_append_only()`);
    await db.query(`
      CREATE TRIGGER ledger_entry_no_truncate BEFORE TRUNCATE ON ledger_entry
      FOR EACH STATEMENT EXECUTE FUNCTION ledger_entry_is_append_only()`);

    // Reconciliation reports: the provider's refunds against the ledger's, for one incident.
    await db.query(`
      CREATE TABLE ledger_reconciliation (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        number integer GENERATED ALWAYS AS IDENTITY UNIQUE,
        incident_id uuid NOT NULL REFERENCES incident(id),
        status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'completed', 'failed')),
        -- How the provider's refunds are listed: per payment of the incident's orders, or every refund since its first order.
        strategy text NOT NULL CHECK (strategy IN ('auto', 'per_payment', 'by_date')),
        requested_by uuid REFERENCES app_user(id),
        reason text,
        requested_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz,
        finished_at timestamptz,
        attempts integer NOT NULL DEFAULT 0,
        -- Set when completed: true when nothing differs.
        clean boolean,
        -- Counts, per-currency totals on both sides, the strategy actually used.
        summary jsonb,
        -- Each difference: kind (missing, extra, amount_mismatch), refund, order, amounts on both sides.
        discrepancies jsonb,
        error_message text,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT ledger_reconciliation_completed_has_result CHECK (status <> 'completed' OR (clean IS NOT NULL AND summary IS NOT NULL))
      )`);
    await db.query(`CREATE INDEX ledger_reconciliation_incident_idx ON ledger_reconciliation (incident_id, requested_at DESC)`);
    // One reconciliation of an incident at a time: a second request gets the open one.
    await db.query(
      `CREATE UNIQUE INDEX ledger_reconciliation_one_open ON ledger_reconciliation (incident_id) WHERE status IN ('queued', 'running')`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE ledger_reconciliation`);
    await db.query(`DROP TABLE ledger_entry`);
    await db.query(`DROP FUNCTION ledger_entry_is_append_only`);
  }
}
