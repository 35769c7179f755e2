import type { MigrationInterface, QueryRunner } from 'typeorm';

export class UsersSessionsAudit1764000000000 implements MigrationInterface {
  name = 'UsersSessionsAudit1764000000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE app_user (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL,
        full_name text NOT NULL,
        password_hash text NOT NULL,
        roles text[] NOT NULL,
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        last_login_at timestamptz,
        password_changed_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT app_user_email_lowercase CHECK (email = lower(email)),
        CONSTRAINT app_user_roles_known CHECK (
          cardinality(roles) > 0 AND roles <@ ARRAY['support_agent','finance','incident_commander','admin']::text[]
        )
      )`);
    await db.query(`CREATE UNIQUE INDEX app_user_email_key ON app_user (email)`);

    await db.query(`
      CREATE TABLE user_session (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES app_user(id),
        token_hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        last_seen_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz,
        ip text,
        user_agent text
      )`);
    await db.query(`CREATE UNIQUE INDEX user_session_token_hash_key ON user_session (token_hash)`);
    await db.query(`CREATE INDEX user_session_user_active_idx ON user_session (user_id) WHERE revoked_at IS NULL`);

    await db.query(`
      CREATE TABLE audit_log (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT clock_timestamp(),
        actor_id uuid,
        actor_email text,
        actor_roles text[] NOT NULL DEFAULT '{}',
        action text NOT NULL,
        target_type text NOT NULL,
        target_id text,
        reason text,
        request_id text,
        ip text,
        summary jsonb NOT NULL DEFAULT '{}'
      )`);
    await db.query(`CREATE INDEX audit_log_at_idx ON audit_log (at DESC, id DESC)`);
    await db.query(`CREATE INDEX audit_log_target_idx ON audit_log (target_type, target_id, at DESC)`);
    await db.query(`CREATE INDEX audit_log_actor_idx ON audit_log (actor_id, at DESC)`);
    await db.query(`CREATE INDEX audit_log_action_idx ON audit_log (action, at DESC)`);

    // Append-only, enforced by the database itself: no role the app connects
    // with can rewrite history, whatever a bug or an attacker tries.
    await db.query(`
      CREATE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await db.query(`
      CREATE TRIGGER audit_log_no_update_delete BEFORE UPDATE OR DELETE ON audit_log
      FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only()`);
    await db.query(`
      CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
      FOR EACH STATEMENT EXECUTE FUNCTION audit_log_is_append_only()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE audit_log`);
    await db.query(`DROP FUNCTION audit_log_is_append_only`);
    await db.query(`DROP TABLE user_session`);
    await db.query(`DROP TABLE app_user`);
  }
}
