import { envReader } from '../shared/env-reader.js';
import type { LogLevel } from '../shared/log.js';

export { ConfigError } from '../shared/env-reader.js';

/** The fulfilment stand-in's settings, all from the environment; every problem is reported at once. */
export interface FulfilmentConfig {
  host: string;
  port: number;
  /** When set, the only API key accepted; otherwise any Bearer key. */
  apiKey: string | undefined;
  /** Token bucket: requests per second and burst; null = unlimited. */
  rateLimitRps: number | null;
  rateLimitBurst: number | null;
  latencyMs: number;
  faultSeed: number;
  /** Journal of every change (JSON lines), replayed at start; none = memory only. */
  dataFile: string | undefined;
  allowReset: boolean;
  logLevel: LogLevel;
  idempotencyTtlMs: number;
}

export function readConfig(env: NodeJS.ProcessEnv): FulfilmentConfig {
  const reader = envReader(env);
  const { problems, wholeNumber } = reader;

  const port = wholeNumber('PORT', 12112, 65535);
  // A 3PL's API allows tens of requests per second; a bulk run must pace itself.
  const rateLimitRps = wholeNumber('RATE_LIMIT_RPS', 50);
  const rateLimitBurst = wholeNumber('RATE_LIMIT_BURST', 0);
  const apiKey = env.FULFILMENT_API_KEY || undefined;
  if (apiKey !== undefined && /\s/.test(apiKey)) problems.push('FULFILMENT_API_KEY must not contain spaces');
  const logLevel = reader.logLevel();
  const allowReset = env.ALLOW_RESET ?? '0';
  if (!['0', '1'].includes(allowReset)) problems.push(`ALLOW_RESET must be 0 or 1, got "${allowReset}"`);

  const config: FulfilmentConfig = {
    host: env.HOST || '127.0.0.1',
    port,
    apiKey,
    rateLimitRps: rateLimitRps === 0 ? null : rateLimitRps,
    rateLimitBurst: rateLimitBurst === 0 ? null : rateLimitBurst,
    latencyMs: wholeNumber('LATENCY_MS', 0),
    faultSeed: wholeNumber('FAULT_SEED', 1),
    dataFile: env.DATA_FILE || undefined,
    allowReset: allowReset === '1',
    logLevel,
    idempotencyTtlMs: 24 * 60 * 60 * 1000,
  };
  reader.check();
  return config;
}
