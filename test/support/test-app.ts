import 'reflect-metadata';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import supertest from 'supertest';
import { AppConfig } from '../../backend/src/config/app-config.js';
import { createApp } from '../../backend/src/http/create-app.js';
import { createRootLogger } from '../../backend/src/observability/logger.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';
import { testEnv } from './test-env.js';

export interface TestApp {
  app: NestExpressApplication;
  http: ReturnType<typeof supertest>;
  db: TestDatabase;
  /** The environment a worker process needs to join this app's database and queues. */
  env: Record<string, string>;
  baseUrl: string;
  close(): Promise<void>;
}

/**
 * The real API (same createApp as production) on its own database and queue
 * prefix, listening on a free port of 127.0.0.1.
 */
export async function startTestApp(extraEnv: Record<string, string> = {}, options: { captureLogs?: string[] } = {}): Promise<TestApp> {
  const db = await createTestDatabase();
  const env = {
    APP_MODE: 'test',
    DATABASE_URL: db.url,
    REDIS_URL: testEnv.redisUrl,
    QUEUE_PREFIX: `t${randomBytes(4).toString('hex')}`,
    LOG_LEVEL: 'silent',
    ADMIN_UI_DIR: 'auto',
    ...extraEnv,
  };
  const config = AppConfig.fromEnv(env);
  const logger = options.captureLogs
    ? createRootLogger('info', 'api', { write: (line: string) => void options.captureLogs!.push(line) })
    : pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const app = await createApp(config, logger);
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  return {
    app,
    http: supertest(app.getHttpServer()),
    db,
    env,
    baseUrl: `http://127.0.0.1:${address.port}`,
    async close() {
      await app.close();
      await db.drop();
    },
  };
}
