import { createLogger } from '../shared/log.js';
import { ConfigError, readConfig, type StandInConfig } from './config.js';
import { createStripeStandIn } from './server.js';

/** `node stand-ins/dist/stripe/main.js`: the Stripe stand-in as a process. */
let config: StandInConfig;
try {
  config = readConfig(process.env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}

const logger = createLogger('stripe-stand-in', config.logLevel);
const standIn = createStripeStandIn(config, logger);

// Before listening: a SIGTERM that arrives right after the "listening" line must still stop it cleanly.
let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  logger.announce('stripe stand-in stopping', { signal });
  await standIn.close();
  logger.announce('stripe stand-in stopped');
  process.exit(0);
};
process.on('SIGTERM', () => void stop('SIGTERM'));
process.on('SIGINT', () => void stop('SIGINT'));

try {
  const port = await standIn.listen();
  logger.announce('stripe stand-in listening', {
    port,
    host: config.host,
    pid: process.pid,
    dataFile: config.dataFile ?? null,
    rateLimitRps: config.rateLimitRps,
    latencyMs: config.latencyMs,
    pinnedKey: Boolean(config.secretKey),
  });
} catch (error) {
  logger.error('could not listen', { port: config.port, error: error instanceof Error ? error.message : String(error) });
  process.exit(1);
}
