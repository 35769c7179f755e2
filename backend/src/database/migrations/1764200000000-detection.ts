import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Detection1764200000000 implements MigrationInterface {
  name = 'Detection1764200000000';

  async up(_db: QueryRunner): Promise<void> {}

  async down(_db: QueryRunner): Promise<void> {}
}
