import type { DataSource } from 'typeorm';
import { demoUsersSeeder } from '../auth/demo-users.seeder.js';
import type { AppConfig } from '../config/app-config.js';
import { demoOrdersSeeder } from './demo-orders.seeder.js';

export interface DemoSeeder {
  name: string;
  /** Idempotent; returns a one-line summary of what it did. */
  run(dataSource: DataSource): Promise<string>;
}

/** Run in order by the demo. Domain modules add theirs here. */
export const demoSeeders = (config: AppConfig): DemoSeeder[] => [demoUsersSeeder, demoOrdersSeeder(config)];
