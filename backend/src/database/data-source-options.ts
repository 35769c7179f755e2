import type { DataSourceOptions } from 'typeorm';
import './int8-parser.js';
import type { AppConfig } from '../config/app-config.js';
import { entities } from './entities.js';
import { migrations } from './migrations/index.js';

/** The TypeORM settings shared by the API, the worker and the migrate command. */
export function dataSourceOptions(config: Pick<AppConfig, 'databaseUrl' | 'databasePoolSize'>, applicationName: string): DataSourceOptions {
  return {
    type: 'postgres',
    url: config.databaseUrl,
    entities,
    migrations,
    migrationsTableName: 'schema_migrations',
    // Schema changes only ever happen through migrations.
    synchronize: false,
    migrationsRun: false,
    extra: {
      max: config.databasePoolSize,
      application_name: applicationName,
      connectionTimeoutMillis: 5000,
    },
  };
}
