import { envReader } from '../shared/env-reader.js';
import type { LogLevel } from '../shared/log.js';

export { ConfigError } from '../shared/env-reader.js';

/** The SMTP sink's settings, all from the environment; every problem is reported at once. */
export interface SmtpSinkConfig {
  host: string;
  /** Where mail is accepted (plain SMTP, no TLS, any or no AUTH). */
  smtpPort: number;
  /** Where tests and the UI read it (HTTP, JSON). */
  httpPort: number;
  /** Journal of received messages (JSON lines), replayed at start; none = memory only. */
  dataFile: string | undefined;
  /** Largest message accepted; bigger ones get 552 as from a real server. */
  maxMessageBytes: number;
  /** Newest messages kept; older ones are dropped from memory (a bench may send many). */
  retainMessages: number;
  faultSeed: number;
  logLevel: LogLevel;
}

export function readConfig(env: NodeJS.ProcessEnv): SmtpSinkConfig {
  const reader = envReader(env);
  const { problems, wholeNumber } = reader;
  const logLevel = reader.logLevel();
  const config: SmtpSinkConfig = {
    host: env.HOST || '127.0.0.1',
    smtpPort: wholeNumber('SMTP_PORT', 12125, 65535),
    httpPort: wholeNumber('HTTP_PORT', 12126, 65535),
    dataFile: env.DATA_FILE || undefined,
    maxMessageBytes: wholeNumber('MAX_MESSAGE_BYTES', 10 * 1024 * 1024),
    retainMessages: wholeNumber('RETAIN_MESSAGES', 10_000),
    faultSeed: wholeNumber('FAULT_SEED', 1),
    logLevel,
  };
  if (config.smtpPort !== 0 && config.smtpPort === config.httpPort) problems.push('SMTP_PORT and HTTP_PORT must differ');
  if (config.retainMessages < 1) problems.push('RETAIN_MESSAGES must be at least 1');
  reader.check();
  return config;
}
