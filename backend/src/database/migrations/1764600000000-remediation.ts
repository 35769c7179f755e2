import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Remediation runs (design: docs/remediation.md). A run is one request to act
 * on an incident's confirmed orders; its steps are one row per (order, action),
 * written by the planning job; notifications go through an outbox with one
 * row per (incident, customer, template).
 */
export class Remediation1764600000000 implements MigrationInterface {
  name = 'Remediation1764600000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE remediation_run (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        number integer GENERATED ALWAYS AS IDENTITY UNIQUE,
        incident_id uuid NOT NULL REFERENCES incident(id),
        -- Subset of: stop_shipment, refund, notify, quarantine_devices.
        actions text[] NOT NULL CHECK (cardinality(actions) > 0
          AND actions <@ ARRAY['stop_shipment', 'refund', 'notify', 'quarantine_devices']),
        status text NOT NULL CHECK (status IN (
          'awaiting_approval', 'rejected', 'queued', 'planning', 'running', 'paused', 'cancelling', 'cancelled', 'completed')),
        reason text NOT NULL CHECK (length(trim(reason)) > 0),
        -- The dry-run preview the requester saw, kept to compare with what was executed.
        preview jsonb NOT NULL,
        -- Refund total per currency above which an incident commander (not the requester) approves.
        approval_required boolean NOT NULL,
        requested_by uuid NOT NULL REFERENCES app_user(id),
        requested_at timestamptz NOT NULL DEFAULT now(),
        decided_by uuid REFERENCES app_user(id),
        decided_at timestamptz,
        decision_reason text,
        started_at timestamptz,
        finished_at timestamptz,
        -- The same figures computed by the planning job, when it wrote the steps (differences from the preview are reported).
        plan jsonb,
        -- Filled when the run finishes: executed figures beside the preview's, and their differences.
        report jsonb,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT remediation_run_approver_is_not_requester CHECK (decided_by IS NULL OR decided_by <> requested_by OR NOT approval_required)
      )`);
    await db.query(`CREATE INDEX remediation_run_incident_idx ON remediation_run (incident_id, requested_at DESC)`);
    await db.query(`CREATE INDEX remediation_run_status_idx ON remediation_run (status, requested_at DESC)`);

    await db.query(`
      CREATE TABLE remediation_step (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        run_id uuid NOT NULL REFERENCES remediation_run(id),
        order_id uuid NOT NULL REFERENCES orders(id),
        action text NOT NULL CHECK (action IN ('stop_shipment', 'refund')),
        -- What the plan decided from the order's state: cancel, void_label, intercept, request_return, refund.
        -- NULL only for a step skipped at planning with nothing to do (a shipment already cancelled, intercepted or returned).
        operation text CHECK (operation IN ('cancel', 'void_label', 'intercept', 'request_return', 'refund')),
        status text NOT NULL DEFAULT 'pending'
          CHECK (status IN ('pending', 'queued', 'in_flight', 'succeeded', 'skipped', 'failed', 'cancelled')),
        -- Ours, derived from the step and never random, so a retry or a crash replay is the same request.
        idempotency_key text NOT NULL UNIQUE,
        amount_minor bigint CHECK (amount_minor >= 0),
        currency char(3),
        attempts integer NOT NULL DEFAULT 0,
        -- The provider's record (re_…, a shipment action id) once it exists.
        provider_ref text,
        -- The provider's own state of that record (a refund's pending/succeeded/failed/canceled; a
        -- shipment's state), merged from our calls and webhooks so a late event never rolls it back.
        provider_status text,
        outcome jsonb,
        error_code text,
        error_message text,
        queued_at timestamptz,
        started_at timestamptz,
        finished_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT remediation_step_acts_with_operation CHECK (operation IS NOT NULL OR status = 'skipped'),
        -- Why a skipped step was skipped (planning: already_refunded, no_payment, disputed, in_another_run, already_stopped;
        -- the engine: the provider's code).
        CONSTRAINT remediation_step_skip_has_reason CHECK (status <> 'skipped' OR error_code IS NOT NULL),
        CONSTRAINT remediation_step_final_has_time CHECK (status NOT IN ('succeeded', 'skipped', 'failed', 'cancelled') OR finished_at IS NOT NULL)
      )`);
    // No order is ever refunded (or stopped) by two runs. A cancelled step never reached the provider and a
    // skipped one did nothing, so neither holds the order: a later run may take it (planning re-checks why).
    await db.query(
      `CREATE UNIQUE INDEX remediation_step_once_per_order ON remediation_step (order_id, action) WHERE status NOT IN ('cancelled', 'skipped')`,
    );
    await db.query(`CREATE INDEX remediation_step_run_idx ON remediation_step (run_id, action, status)`);

    await db.query(`
      CREATE TABLE notification_outbox (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        incident_id uuid NOT NULL REFERENCES incident(id),
        customer_id uuid NOT NULL REFERENCES customer(id),
        template text NOT NULL,
        run_id uuid NOT NULL REFERENCES remediation_run(id),
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'cancelled')),
        to_address text,
        subject text,
        -- The Message-ID we generate before sending: a resend after a crash reuses it.
        message_id text NOT NULL UNIQUE,
        -- What the notice told the customer (orders, refunds reported as issued), fixed when sending
        -- starts: a resend says the same, and a refund failing afterwards is checked against it.
        content jsonb,
        attempts integer NOT NULL DEFAULT 0,
        error_message text,
        sent_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (incident_id, customer_id, template)
      )`);
    await db.query(`CREATE INDEX notification_outbox_run_idx ON notification_outbox (run_id, status)`);

    // Webhook events from the payment provider, deduplicated by the provider's event id.
    await db.query(`
      CREATE TABLE provider_event (
        provider text NOT NULL,
        event_id text NOT NULL,
        type text NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        payload jsonb NOT NULL,
        PRIMARY KEY (provider, event_id)
      )`);

    // The payment provider's refunds as we last learned them (from our own calls and from webhooks),
    // ours and anyone else's (a refund made in the Stripe dashboard counts too). A refund's status
    // only moves forward: pending → succeeded → failed/canceled.
    await db.query(`
      CREATE TABLE payment_refund (
        id text PRIMARY KEY,
        charge_id text,
        payment_intent_id text,
        order_id uuid REFERENCES orders(id),
        step_id uuid REFERENCES remediation_step(id),
        amount_minor bigint NOT NULL CHECK (amount_minor >= 0),
        currency char(3) NOT NULL,
        status text NOT NULL CHECK (status IN ('pending', 'requires_action', 'succeeded', 'failed', 'canceled')),
        failure_reason text,
        provider_created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX payment_refund_order_idx ON payment_refund (order_id) WHERE order_id IS NOT NULL`);
    await db.query(`CREATE INDEX payment_refund_step_idx ON payment_refund (step_id) WHERE step_id IS NOT NULL`);

    // Chargebacks on our orders' payments: a disputed charge is not refunded (Stripe refuses anyway).
    await db.query(`
      CREATE TABLE payment_dispute (
        id text PRIMARY KEY,
        charge_id text NOT NULL,
        payment_intent_id text,
        order_id uuid REFERENCES orders(id),
        status text NOT NULL,
        reason text,
        amount_minor bigint NOT NULL CHECK (amount_minor >= 0),
        currency char(3) NOT NULL,
        -- The provider's time of the newest event applied: an older event arriving late changes nothing.
        event_created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX payment_dispute_order_idx ON payment_dispute (order_id) WHERE order_id IS NOT NULL`);

    // What the payment provider says about an order's charge, kept current by the refund steps and the
    // provider's webhooks; planning reads it to skip charges already refunded or disputed.
    // refunded_minor counts refunds from anywhere (this tool, the provider's dashboard): a partly refunded
    // order is refunded for the rest only.
    await db.query(`
      ALTER TABLE orders
        ADD COLUMN payment_state text NOT NULL DEFAULT 'captured'
          CHECK (payment_state IN ('captured', 'partially_refunded', 'refunded', 'refund_failed', 'disputed')),
        ADD COLUMN refunded_minor bigint NOT NULL DEFAULT 0 CHECK (refunded_minor >= 0),
        ADD CONSTRAINT orders_refund_within_total CHECK (refunded_minor <= total_minor)`);

    await db.query(`ALTER TABLE incident_event DROP CONSTRAINT incident_event_kind_check`);
    await db.query(
      `ALTER TABLE incident_event ADD CONSTRAINT incident_event_kind_check
       CHECK (kind IN ('declared', 'status_changed', 'membership', 'update', 'edited', 'remediation'))`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    // Fails while remediation events exist: a timeline is history, so rolling back is a decision for a person.
    await db.query(`ALTER TABLE incident_event DROP CONSTRAINT incident_event_kind_check`);
    await db.query(
      `ALTER TABLE incident_event ADD CONSTRAINT incident_event_kind_check
       CHECK (kind IN ('declared', 'status_changed', 'membership', 'update', 'edited'))`,
    );
    await db.query(`ALTER TABLE orders DROP CONSTRAINT orders_refund_within_total, DROP COLUMN refunded_minor, DROP COLUMN payment_state`);
    await db.query(`DROP TABLE payment_dispute`);
    await db.query(`DROP TABLE payment_refund`);
    await db.query(`DROP TABLE provider_event`);
    await db.query(`DROP TABLE notification_outbox`);
    await db.query(`DROP TABLE remediation_step`);
    await db.query(`DROP TABLE remediation_run`);
  }
}
