import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Incidents1764300000000 implements MigrationInterface {
  name = 'Incidents1764300000000';

  async up(db: QueryRunner): Promise<void> {
    // Lifecycle timestamps must read in order. GREATEST ignores NULLs, so a
    // state that was skipped (triage → resolved for a false alarm) does not
    // block the check, while a stamp earlier than any stamp before it does.
    await db.query(`
      CREATE TABLE incident (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        number integer GENERATED ALWAYS AS IDENTITY UNIQUE,
        title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
        severity text NOT NULL CHECK (severity IN ('critical', 'high', 'medium', 'low')),
        status text NOT NULL DEFAULT 'declared'
          CHECK (status IN ('declared', 'triage', 'remediating', 'monitoring', 'resolved', 'closed')),
        commander_id uuid REFERENCES app_user(id),
        -- No foreign key: proposals belong to the detection module.
        proposal_id uuid,
        -- What the proposal showed when the incident was declared (proposals change later).
        proposal_evidence jsonb,
        summary text,
        started_at timestamptz,
        detected_at timestamptz NOT NULL,
        declared_at timestamptz NOT NULL,
        triage_at timestamptz,
        mitigated_at timestamptz,
        resolved_at timestamptz,
        closed_at timestamptz,
        created_by uuid REFERENCES app_user(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT incident_timestamps_in_order CHECK (
          detected_at >= started_at
          AND declared_at >= GREATEST(started_at, detected_at)
          AND triage_at >= GREATEST(started_at, detected_at, declared_at)
          AND mitigated_at >= GREATEST(started_at, detected_at, declared_at, triage_at)
          AND resolved_at >= GREATEST(started_at, detected_at, declared_at, triage_at, mitigated_at)
          AND closed_at >= GREATEST(started_at, detected_at, declared_at, triage_at, mitigated_at, resolved_at)
        ),
        CONSTRAINT incident_closed_has_summary CHECK (status <> 'closed' OR length(trim(summary)) > 0)
      )`);
    await db.query(`CREATE INDEX incident_declared_at_idx ON incident (declared_at, id)`);
    await db.query(`CREATE INDEX incident_status_idx ON incident (status, declared_at)`);
    await db.query(`CREATE INDEX incident_commander_idx ON incident (commander_id, declared_at)`);
    await db.query(`CREATE INDEX incident_proposal_idx ON incident (proposal_id) WHERE proposal_id IS NOT NULL`);

    await db.query(`
      CREATE TABLE incident_order (
        incident_id uuid NOT NULL REFERENCES incident(id),
        order_id uuid NOT NULL REFERENCES orders(id),
        status text NOT NULL CHECK (status IN ('suspected', 'confirmed', 'excluded')),
        reason text,
        changed_by uuid REFERENCES app_user(id),
        changed_at timestamptz NOT NULL DEFAULT now(),
        -- False once the incident is closed: the order is free to join a new incident.
        open boolean NOT NULL DEFAULT true,
        PRIMARY KEY (incident_id, order_id)
      )`);
    // An order is suspected or confirmed in at most one open incident. Also serves
    // the orders list's inNoIncident filter and the conflict checks.
    await db.query(`CREATE UNIQUE INDEX incident_order_one_open_incident ON incident_order (order_id) WHERE open AND status <> 'excluded'`);
    // Members per status (counts, the incident's orders tab, the orders list's incidentId filter).
    await db.query(`CREATE INDEX incident_order_status_idx ON incident_order (incident_id, status, changed_at, order_id)`);
    await db.query(`CREATE INDEX incident_order_order_idx ON incident_order (order_id)`);

    await db.query(`
      CREATE TABLE incident_event (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        incident_id uuid NOT NULL REFERENCES incident(id),
        at timestamptz NOT NULL DEFAULT clock_timestamp(),
        kind text NOT NULL CHECK (kind IN ('declared', 'status_changed', 'membership', 'update', 'edited')),
        actor_id uuid REFERENCES app_user(id),
        actor_email text,
        message text NOT NULL,
        data jsonb NOT NULL DEFAULT '{}'
      )`);
    await db.query(`CREATE INDEX incident_event_timeline_idx ON incident_event (incident_id, at, id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE incident_event`);
    await db.query(`DROP TABLE incident_order`);
    await db.query(`DROP TABLE incident`);
  }
}
