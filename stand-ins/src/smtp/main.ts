import { createLogger } from '../shared/log.js';
import { ConfigError, readConfig, type SmtpSinkConfig } from './config.js';
import { createSmtpSink } from './server.js';

/** `node stand-ins/dist/smtp/main.js`: the SMTP sink as a process. */
let config: SmtpSinkConfig;
try {
  config = readConfig(process.env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}

const logger = createLogger('smtp-sink', config.logLevel);
const sink = createSmtpSink(config, logger);

// Before listening: a SIGTERM that arrives right after the "listening" line must still stop it cleanly.
let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  logger.announce('smtp sink stopping', { signal });
  await sink.close();
  logger.announce('smtp sink stopped');
  process.exit(0);
};
process.on('SIGTERM', () => void stop('SIGTERM'));
process.on('SIGINT', () => void stop('SIGINT'));

try {
  const { smtpPort, httpPort } = await sink.listen();
  logger.announce('smtp sink listening', {
    smtpPort,
    httpPort,
    host: config.host,
    pid: process.pid,
    dataFile: config.dataFile ?? null,
    messages: sink.store.size,
  });
} catch (error) {
  logger.error('could not listen', {
    smtpPort: config.smtpPort,
    httpPort: config.httpPort,
    error: error instanceof Error ? error.message : String(error),
  });
  process.exit(1);
}
