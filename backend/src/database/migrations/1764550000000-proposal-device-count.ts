import type { MigrationInterface, QueryRunner } from 'typeorm';

/** How many distinct devices a proposal's orders came from: shown in the triage queue beside the order count. */
export class ProposalDeviceCount1764550000000 implements MigrationInterface {
  name = 'ProposalDeviceCount1764550000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE detection_proposal ADD COLUMN device_count integer NOT NULL DEFAULT 0`);
    await db.query(`
      UPDATE detection_proposal p SET device_count = (
        SELECT count(DISTINCT o.device_id) FROM unnest(p.order_ids) AS member(id) JOIN orders o ON o.id = member.id
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE detection_proposal DROP COLUMN device_count`);
  }
}
