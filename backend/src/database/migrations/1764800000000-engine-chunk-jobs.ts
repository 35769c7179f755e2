import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The engine runs steps and notices in chunks, one BullMQ job per chunk. The
 * job's id is kept on each row it owns, in the statement that hands the row
 * over: the engine sweep gives a row whose job Redis lost that same job back
 * (a no-op while it still waits in a long queue), and a job only claims the
 * rows that name it, so two hand-overs of one row never run it twice at once.
 */
export class EngineChunkJobs1764800000000 implements MigrationInterface {
  name = 'EngineChunkJobs1764800000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE remediation_step ADD COLUMN job_id text`);
    await db.query(`ALTER TABLE notification_outbox ADD COLUMN job_id text`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE notification_outbox DROP COLUMN job_id`);
    await db.query(`ALTER TABLE remediation_step DROP COLUMN job_id`);
  }
}
