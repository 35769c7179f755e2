import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Quarantine1764400000000 implements MigrationInterface {
  name = 'Quarantine1764400000000';

  async up(db: QueryRunner): Promise<void> {
    // One row per decision to stop a device, a firmware version of a model, or a whole model.
    // The CHECK makes each scope carry exactly its own fields, so a row can never be read two ways.
    // incident_id has no foreign key: incidents belong to another module and may be archived.
    await db.query(`
      CREATE TABLE quarantine (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        scope text NOT NULL CHECK (scope IN ('device', 'firmware', 'model')),
        device_id text REFERENCES device(id),
        model text,
        firmware_version text,
        reason text NOT NULL CHECK (length(btrim(reason)) > 0),
        incident_id uuid,
        created_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz,
        released_at timestamptz,
        released_by uuid,
        release_reason text,
        CONSTRAINT quarantine_scope_fields CHECK (
          (scope = 'device' AND device_id IS NOT NULL AND model IS NULL AND firmware_version IS NULL) OR
          (scope = 'firmware' AND device_id IS NULL AND model IS NOT NULL AND firmware_version IS NOT NULL) OR
          (scope = 'model' AND device_id IS NULL AND model IS NOT NULL AND firmware_version IS NULL)),
        CONSTRAINT quarantine_release_complete CHECK ((released_at IS NULL) = (release_reason IS NULL))
      )`);
    // The active lookups (storefront check, order hold, device state) only ever read unreleased rows;
    // expiry is checked on the few rows these partial indexes return.
    await db.query(`CREATE INDEX quarantine_active_device_idx ON quarantine (device_id) WHERE scope = 'device' AND released_at IS NULL`);
    await db.query(
      `CREATE INDEX quarantine_active_firmware_idx ON quarantine (model, firmware_version) WHERE scope = 'firmware' AND released_at IS NULL`,
    );
    await db.query(`CREATE INDEX quarantine_active_model_idx ON quarantine (model) WHERE scope = 'model' AND released_at IS NULL`);
    // The list: newest first, and per incident.
    await db.query(`CREATE INDEX quarantine_created_at_idx ON quarantine (created_at, id)`);
    await db.query(`CREATE INDEX quarantine_incident_idx ON quarantine (incident_id, created_at) WHERE incident_id IS NOT NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE quarantine`);
  }
}
