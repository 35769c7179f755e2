import 'reflect-metadata';
import { AppConfig } from './config/app-config.js';
import { ConfigError } from './config/config-error.js';
import { createApp } from './http/create-app.js';
import { createRootLogger } from './observability/logger.js';
import { exitAfterTimeout } from './process/graceful-exit.js';

/** HTTP API entry point: `node backend/dist/main.js`. */
async function main() {
  const config = AppConfig.fromEnv(process.env);
  const logger = createRootLogger(config.logLevel, 'api');
  const app = await createApp(config, logger);
  await app.listen(config.port, config.host);
  logger.info({ url: `http://${config.host}:${config.port}` }, 'API listening');
  exitAfterTimeout(config.shutdownTimeoutMs, logger);
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
