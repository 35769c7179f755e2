import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The steps of a run that are still open, indexed on their own. After every
 * step the engine asks "is anything of this run still open?"; through
 * (run_id, action, status) that question reads every step of the run once
 * most are final (quadratic over a 10k-step run). This index holds only the
 * open ones, so the answer is one lookup however far the run has come.
 */
export class OpenStepsIndex1764610000000 implements MigrationInterface {
  name = 'OpenStepsIndex1764610000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(
      `CREATE INDEX remediation_step_open_idx ON remediation_step (run_id, order_id) WHERE status IN ('pending', 'queued', 'in_flight')`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX remediation_step_open_idx`);
  }
}
