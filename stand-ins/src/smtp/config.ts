import { isLogLevel, type LogLevel } from '../shared/log.js';

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

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  }
}

export function readConfig(env: NodeJS.ProcessEnv): SmtpSinkConfig {
  const problems: string[] = [];
  const wholeNumber = (name: string, fallback: number, max = Number.MAX_SAFE_INTEGER): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    if (!/^\d+$/.test(raw) || Number(raw) > max) {
      problems.push(`${name} must be a whole number from 0 to ${max}, got "${raw}"`);
      return fallback;
    }
    return Number(raw);
  };
  const logLevel = env.LOG_LEVEL ?? 'info';
  if (!isLogLevel(logLevel)) problems.push(`LOG_LEVEL must be one of debug, info, warn, error, silent, got "${logLevel}"`);
  const config: SmtpSinkConfig = {
    host: env.HOST || '127.0.0.1',
    smtpPort: wholeNumber('SMTP_PORT', 12125, 65535),
    httpPort: wholeNumber('HTTP_PORT', 12126, 65535),
    dataFile: env.DATA_FILE || undefined,
    maxMessageBytes: wholeNumber('MAX_MESSAGE_BYTES', 10 * 1024 * 1024),
    retainMessages: wholeNumber('RETAIN_MESSAGES', 10_000),
    faultSeed: wholeNumber('FAULT_SEED', 1),
    logLevel: isLogLevel(logLevel) ? logLevel : 'info',
  };
  if (config.smtpPort !== 0 && config.smtpPort === config.httpPort) problems.push('SMTP_PORT and HTTP_PORT must differ');
  if (config.retainMessages < 1) problems.push('RETAIN_MESSAGES must be at least 1');
  if (problems.length) throw new ConfigError(problems);
  return config;
}
