import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.js';
import { AppConfig } from './config/app-config.js';
import { ConfigError } from './config/config-error.js';
import { WorkerRunner } from './jobs/worker-runner.service.js';
import { JsonLogger, createRootLogger } from './observability/logger.js';
import { exitAfterTimeout } from './process/graceful-exit.js';

/** Worker entry point: `node backend/dist/worker.js`. Start more processes to scale. */
async function main() {
  const config = AppConfig.fromEnv(process.env);
  const logger = createRootLogger(config.logLevel, 'worker');
  const context = await NestFactory.createApplicationContext(AppModule.forRoot({ config, logger, role: 'worker' }), {
    logger: new JsonLogger(logger.child({ component: 'nest' })),
    abortOnError: false,
  });
  const runner = context.get(WorkerRunner);
  try {
    await runner.start();
  } catch (error) {
    await context.close();
    throw error;
  }
  const stop = async (signal: string) => {
    logger.info({ signal }, 'worker draining');
    exitAfterTimeout(config.shutdownTimeoutMs, logger, true);
    await runner.stop();
    await context.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : ((error as Error).message ?? error));
  process.exit(1);
});
