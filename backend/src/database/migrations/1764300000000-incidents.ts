import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Incidents1764300000000 implements MigrationInterface {
  name = 'Incidents1764300000000';

  async up(_db: QueryRunner): Promise<void> {}

  async down(_db: QueryRunner): Promise<void> {}
}
