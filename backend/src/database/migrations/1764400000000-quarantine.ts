import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Quarantine1764400000000 implements MigrationInterface {
  name = 'Quarantine1764400000000';

  async up(_db: QueryRunner): Promise<void> {}

  async down(_db: QueryRunner): Promise<void> {}
}
