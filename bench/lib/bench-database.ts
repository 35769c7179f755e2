import 'reflect-metadata';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../backend/src/database/data-source-options.js';

function required(name: string) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run benchmarks with \`npm run bench -- NAME\``);
  return value;
}

export const benchEnv = {
  get adminUrl() {
    return required('BENCH_DATABASE_URL');
  },
  get redisUrl() {
    return required('BENCH_REDIS_URL');
  },
};

/** A freshly created and migrated database for one measurement. */
export async function freshDatabase(name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: benchEnv.adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(benchEnv.adminUrl);
  url.pathname = `/${name}`;
  const dataSource = new DataSource(dataSourceOptions({ databaseUrl: url.toString(), databasePoolSize: 2 }, 'bench-migrate'));
  await dataSource.initialize();
  await dataSource.runMigrations();
  await dataSource.destroy();
  return url.toString();
}
