import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { ConfigError } from '../config/config-error.js';
import { dataSourceOptions } from './data-source-options.js';

/**
 * `node backend/dist/database/migrate.js [up|status]`: applies pending
 * migrations, or lists what would be applied. Used by the demo, CI and deploys.
 */
async function main(command: string) {
  const config = AppConfig.fromEnv(process.env);
  const dataSource = new DataSource(dataSourceOptions(config, 'recovery-desk-migrate'));
  await dataSource.initialize();
  try {
    if (command === 'status') {
      const pending = await dataSource.showMigrations();
      console.log(pending ? 'Pending migrations exist.' : 'Schema is up to date.');
      process.exitCode = pending ? 3 : 0;
      return;
    }
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    console.log(
      applied.length ? `Applied ${applied.length} migration(s): ${applied.map((m) => m.name).join(', ')}` : 'Schema is up to date.',
    );
  } finally {
    await dataSource.destroy();
  }
}

const command = process.argv[2] ?? 'up';
if (!['up', 'status'].includes(command)) {
  console.error(`Unknown command "${command}". Use: migrate [up|status]`);
  process.exit(2);
}
main(command).catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
