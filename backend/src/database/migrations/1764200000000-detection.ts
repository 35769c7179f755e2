import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Detection1764200000000 implements MigrationInterface {
  name = 'Detection1764200000000';

  async up(db: QueryRunner): Promise<void> {
    // Thresholds live in the database so admins can tune them without a deploy;
    // each rule validates its own (detection/rules/*.ts) before they are stored.
    await db.query(`
      CREATE TABLE detection_rule (
        id text PRIMARY KEY,
        enabled boolean NOT NULL DEFAULT true,
        thresholds jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        updated_by uuid
      )`);
    await db.query(`
      INSERT INTO detection_rule (id, thresholds) VALUES
        ('device-velocity', '{"windowHours": 48, "baselineDays": 60, "minOrders": 5, "factor": 4}'),
        ('fleet-burst', '{"windowHours": 72, "baselineDays": 60, "minDevices": 5, "factor": 5}'),
        ('shared-new-address', '{"windowHours": 72, "minCustomers": 3}'),
        ('value-outlier', '{"windowHours": 72, "baselineDays": 60, "factor": 2.5, "minBaselineOrders": 20}')`);

    await db.query(`
      CREATE TABLE detection_proposal (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        fingerprint text NOT NULL,
        title text NOT NULL,
        rules text[] NOT NULL,
        score integer NOT NULL CHECK (score BETWEEN 0 AND 100),
        severity text NOT NULL CHECK (severity IN ('critical', 'high', 'medium', 'low')),
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'declared', 'dismissed')),
        order_ids uuid[] NOT NULL,
        order_count integer NOT NULL,
        value_by_currency jsonb NOT NULL,
        evidence jsonb NOT NULL,
        first_order_at timestamptz NOT NULL,
        last_order_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        incident_id uuid,
        dismissed_reason text,
        dismissed_by uuid
      )`);
    // One open proposal per pattern: a later pass refreshes it instead of adding a duplicate.
    await db.query(`CREATE UNIQUE INDEX detection_proposal_open_fingerprint ON detection_proposal (fingerprint) WHERE status = 'open'`);
    await db.query(`CREATE INDEX detection_proposal_status_idx ON detection_proposal (status, score DESC)`);

    await db.query(`
      CREATE TABLE detection_run (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        trigger text NOT NULL,
        started_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        finished_at timestamptz,
        hits integer,
        proposals_created integer,
        proposals_updated integer,
        duration_ms integer
      )`);
    // Rule queries scan recent orders by time and group them by these keys.
    await db.query(`CREATE INDEX orders_recent_device_idx ON orders (placed_at, device_id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX orders_recent_device_idx`);
    await db.query(`DROP TABLE detection_run`);
    await db.query(`DROP TABLE detection_proposal`);
    await db.query(`DROP TABLE detection_rule`);
  }
}
