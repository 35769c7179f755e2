import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { ConfigError } from '../config/config-error.js';
import { dataSourceOptions } from '../database/data-source-options.js';
import { demoSeeders } from './demo-seeders.js';

/**
 * `node backend/dist/seed/seed-demo.js`: fills a demo database. Each seeder is
 * idempotent, so the demo can be started again on the same data.
 * Refuses to run outside demo mode: demo users must never reach production.
 */
async function main() {
  const config = AppConfig.fromEnv(process.env);
  if (config.mode !== 'demo') throw new Error(`Demo data is only seeded in demo mode (APP_MODE is "${config.mode}")`);
  const dataSource = new DataSource(dataSourceOptions(config, 'recovery-desk-seed'));
  await dataSource.initialize();
  try {
    for (const seeder of demoSeeders(config)) {
      const summary = await seeder.run(dataSource);
      console.log(`  ${seeder.name}: ${summary}`);
    }
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
