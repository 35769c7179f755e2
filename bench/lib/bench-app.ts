import 'reflect-metadata';
import { pino } from 'pino';
import { AppConfig } from '../../backend/src/config/app-config.js';
import { createApp } from '../../backend/src/http/create-app.js';
import { benchEnv } from './bench-database.js';

/** The real API (production createApp) on a bench database, on a free port, with `env` settings; BENCH_LOG_LEVEL shows its logs. */
export async function startBenchApp(databaseUrl: string, env: Record<string, string> = {}) {
  const config = AppConfig.fromEnv({
    APP_MODE: 'test',
    DATABASE_URL: databaseUrl,
    REDIS_URL: benchEnv.redisUrl,
    QUEUE_PREFIX: 'bench',
    LOG_LEVEL: 'silent',
    ADMIN_UI_DIR: 'none',
    ...env,
  });
  const app = await createApp(config, pino({ level: process.env.BENCH_LOG_LEVEL ?? 'silent' }));
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  return { app, config, baseUrl: `http://127.0.0.1:${port}` };
}
