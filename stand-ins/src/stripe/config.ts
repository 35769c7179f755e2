import { envReader } from '../shared/env-reader.js';
import type { LogLevel } from '../shared/log.js';

export { ConfigError } from '../shared/env-reader.js';

/** The stand-in's settings, all from the environment; every problem is reported at once. */
export interface StandInConfig {
  host: string;
  port: number;
  /** When set, the only API key accepted; otherwise any `sk_test_…` key. */
  secretKey: string | undefined;
  /** Requests per second (burst the same); null = unlimited. Stripe's test mode allows 25. */
  rateLimitRps: number | null;
  latencyMs: number;
  faultSeed: number;
  /** Journal of every change (JSON lines), replayed at start; none = memory only. */
  dataFile: string | undefined;
  allowReset: boolean;
  logLevel: LogLevel;
  idempotencyTtlMs: number;
  /** Webhook delivery: attempts per event and endpoint, first retry delay (doubling), and how long an endpoint may take to answer. */
  webhookMaxAttempts: number;
  webhookRetryBaseMs: number;
  webhookTimeoutMs: number;
  /** How many of the newest events GET /v1/events keeps (Stripe: 30 days). */
  eventRetention: number;
  /** How long after its creation a refund of a `pm_card_refundFail` charge fails, as Stripe's test card does "some time later". */
  refundFailDelayMs: number;
}

export function readConfig(env: NodeJS.ProcessEnv): StandInConfig {
  const reader = envReader(env);
  const { problems, wholeNumber } = reader;

  const port = wholeNumber('PORT', 12111, 65535);
  const rateLimitRps = wholeNumber('RATE_LIMIT_RPS', 25);
  const secretKey = env.STRIPE_SECRET_KEY || undefined;
  if (secretKey && !secretKey.startsWith('sk_test_')) problems.push('STRIPE_SECRET_KEY must be a test-mode key (sk_test_…)');
  const logLevel = reader.logLevel();
  const allowReset = env.ALLOW_RESET ?? '0';
  if (!['0', '1'].includes(allowReset)) problems.push(`ALLOW_RESET must be 0 or 1, got "${allowReset}"`);

  const config: StandInConfig = {
    host: env.HOST || '127.0.0.1',
    port,
    secretKey,
    rateLimitRps: rateLimitRps === 0 ? null : rateLimitRps,
    latencyMs: wholeNumber('LATENCY_MS', 0),
    faultSeed: wholeNumber('FAULT_SEED', 1),
    dataFile: env.DATA_FILE || undefined,
    allowReset: allowReset === '1',
    logLevel,
    idempotencyTtlMs: 24 * 60 * 60 * 1000,
    webhookMaxAttempts: wholeNumber('WEBHOOK_MAX_ATTEMPTS', 4, 20),
    webhookRetryBaseMs: wholeNumber('WEBHOOK_RETRY_BASE_MS', 1_000),
    webhookTimeoutMs: wholeNumber('WEBHOOK_TIMEOUT_MS', 10_000),
    eventRetention: wholeNumber('EVENT_RETENTION', 20_000),
    refundFailDelayMs: wholeNumber('REFUND_FAIL_DELAY_MS', 2_000),
  };
  if (config.webhookMaxAttempts < 1) problems.push('WEBHOOK_MAX_ATTEMPTS must be from 1 to 20');
  if (config.webhookTimeoutMs < 1) problems.push('WEBHOOK_TIMEOUT_MS must be at least 1');
  if (config.eventRetention < 1) problems.push('EVENT_RETENTION must be at least 1');
  reader.check();
  return config;
}
