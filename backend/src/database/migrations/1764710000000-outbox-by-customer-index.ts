import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A run's notice for one customer. Each step that becomes final looks up its
 * customer's notice in the run (is it due now?); with only (run_id, status)
 * to go on, that read walked every pending notice of the run and checked each
 * one's open steps: 5,000 notices per step in a 10k-order run, most of the
 * database's time during a notifying run.
 */
export class OutboxByCustomerIndex1764710000000 implements MigrationInterface {
  name = 'OutboxByCustomerIndex1764710000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE INDEX notification_outbox_run_customer_idx ON notification_outbox (run_id, customer_id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX notification_outbox_run_customer_idx`);
  }
}
