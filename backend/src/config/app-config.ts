import type { ProcessingFeeModel } from '../ledger/fee-model.js';
import { ConfigError } from './config-error.js';
import { variables, type VariableSpec } from './config.schema.js';

export type AppMode = 'production' | 'demo' | 'test';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/**
 * The validated settings of one process. Injected by class; nothing else in
 * the backend reads `process.env`.
 */
export class AppConfig {
  readonly mode!: AppMode;
  readonly host!: string;
  readonly port!: number;
  readonly databaseUrl!: string;
  readonly databasePoolSize!: number;
  readonly redisUrl!: string;
  readonly queuePrefix!: string;
  readonly workerConcurrency!: number;
  readonly engineConcurrency!: number;
  readonly logLevel!: LogLevel;
  readonly bodyLimit!: string;
  readonly adminUiDir!: string;
  readonly shutdownTimeoutMs!: number;
  readonly sessionSecret!: string;
  readonly sessionTtlSeconds!: number;
  readonly loginWindowSeconds!: number;
  readonly loginMaxFailuresPerAccount!: number;
  readonly loginMaxAttemptsPerIp!: number;
  readonly trustProxy!: boolean | number | string;
  readonly metricsToken!: string;
  readonly platformApiKey!: string;
  readonly platformWebhookSecret!: string;
  readonly storefrontApiKey!: string;
  readonly detectionIntervalMinutes!: number;
  /** Minor units per currency above which a run's refunds need approval (REFUND_APPROVAL_THRESHOLDS). */
  readonly refundApprovalThresholds!: Readonly<Record<string, number>>;
  /** Expected carrier fee per intercepted parcel, minor units per currency (INTERCEPT_FEE_ESTIMATES): the provider names it only when it intercepts. */
  readonly interceptFeeEstimates!: Readonly<Record<string, number>>;
  readonly ingestMaxBytes!: number;
  readonly csvImportMaxBytes!: number;
  readonly stripeSecretKey!: string;
  readonly stripeApiBase!: string;
  readonly demoOrders!: number;
  readonly stripeRateLimitPerSecond!: number;
  /** Every secret currently accepted on the Stripe webhook (more than one while rotating). */
  readonly stripeWebhookSecrets!: string[];
  readonly fulfilmentApiBase!: string;
  readonly fulfilmentApiKey!: string;
  readonly fulfilmentRateLimitPerSecond!: number;
  readonly smtpUrl!: string;
  readonly smtpFrom!: string;
  /** A mail sink's HTTP API (SMTP_SINK_URL, no trailing slash), or '' with a real relay. */
  readonly smtpSinkUrl!: string;
  readonly emailRateLimitPerSecond!: number;
  /** The provider's processing fee per currency (PROVIDER_FEE_MODEL), for the loss ledger. */
  readonly providerFeeModel!: ProcessingFeeModel;
  /** Dispute fee per currency in minor units (DISPUTE_FEES), when the provider's dispute states none. */
  readonly disputeFees!: Readonly<Record<string, number>>;
  readonly reconciliationRateLimitPerSecond!: number;

  private constructor(values: AppConfig) {
    Object.assign(this, values);
  }

  /**
   * Parses every variable and reports all problems at once, so a bad
   * deployment is fixed in one round rather than one variable per restart.
   */
  static fromEnv(env: Record<string, string | undefined>, overrides: Partial<AppConfig> = {}): AppConfig {
    const parsed: Record<string, unknown> = {};
    const problems: { variable: string; message: string }[] = [];
    for (const spec of variables) {
      const raw = env[spec.name];
      const value = raw === undefined || raw === '' ? ('default' in spec ? spec.default : undefined) : raw;
      const result = spec.schema.safeParse(value);
      if (result.success) {
        parsed[spec.name] = result.data;
      } else {
        const shown = raw === undefined ? '' : ` (got ${JSON.stringify(raw.length > 40 ? raw.slice(0, 40) + '…' : raw)})`;
        problems.push({ variable: spec.name, message: result.error.issues[0]!.message + shown });
      }
    }
    if (parsed.APP_MODE === 'production') {
      for (const spec of variables as readonly VariableSpec[]) {
        const secret = parsed[spec.name];
        if (!spec.demoSecret || typeof secret !== 'string') continue;
        if (secret === spec.default) {
          problems.push({
            variable: spec.name,
            message: 'is the demo default; production needs a random secret of at least 32 characters',
          });
        } else if (secret.length < 32) {
          problems.push({ variable: spec.name, message: 'must be at least 32 characters in production' });
        }
      }
    }
    if (problems.length > 0) throw new ConfigError(problems);
    return new AppConfig({
      mode: parsed.APP_MODE as AppMode,
      host: parsed.HOST as string,
      port: parsed.PORT as number,
      databaseUrl: parsed.DATABASE_URL as string,
      databasePoolSize: parsed.DATABASE_POOL_SIZE as number,
      redisUrl: parsed.REDIS_URL as string,
      queuePrefix: parsed.QUEUE_PREFIX as string,
      workerConcurrency: parsed.WORKER_CONCURRENCY as number,
      engineConcurrency: parsed.ENGINE_CONCURRENCY as number,
      logLevel: parsed.LOG_LEVEL as LogLevel,
      bodyLimit: parsed.BODY_LIMIT as string,
      adminUiDir: parsed.ADMIN_UI_DIR as string,
      shutdownTimeoutMs: parsed.SHUTDOWN_TIMEOUT_MS as number,
      sessionSecret: parsed.SESSION_SECRET as string,
      sessionTtlSeconds: parsed.SESSION_TTL_SECONDS as number,
      loginWindowSeconds: parsed.LOGIN_WINDOW_SECONDS as number,
      loginMaxFailuresPerAccount: parsed.LOGIN_MAX_FAILURES_PER_ACCOUNT as number,
      loginMaxAttemptsPerIp: parsed.LOGIN_MAX_ATTEMPTS_PER_IP as number,
      trustProxy: parseTrustProxy(parsed.TRUST_PROXY as string),
      metricsToken: parsed.METRICS_TOKEN as string,
      platformApiKey: parsed.PLATFORM_API_KEY as string,
      platformWebhookSecret: parsed.PLATFORM_WEBHOOK_SECRET as string,
      storefrontApiKey: parsed.STOREFRONT_API_KEY as string,
      detectionIntervalMinutes: parsed.DETECTION_INTERVAL_MINUTES as number,
      refundApprovalThresholds: parsed.REFUND_APPROVAL_THRESHOLDS as Record<string, number>,
      interceptFeeEstimates: parsed.INTERCEPT_FEE_ESTIMATES as Record<string, number>,
      ingestMaxBytes: parseByteSize(parsed.INGEST_MAX_BYTES as string),
      csvImportMaxBytes: parseByteSize(parsed.CSV_IMPORT_MAX_BYTES as string),
      stripeSecretKey: parsed.STRIPE_SECRET_KEY as string,
      stripeApiBase: parsed.STRIPE_API_BASE as string,
      demoOrders: parsed.DEMO_ORDERS as number,
      stripeRateLimitPerSecond: parsed.STRIPE_RATE_LIMIT_PER_SECOND as number,
      stripeWebhookSecrets: (parsed.STRIPE_WEBHOOK_SECRETS as string)
        .split(',')
        .map((secret) => secret.trim())
        .filter(Boolean),
      fulfilmentApiBase: parsed.FULFILMENT_API_BASE as string,
      fulfilmentApiKey: parsed.FULFILMENT_API_KEY as string,
      fulfilmentRateLimitPerSecond: parsed.FULFILMENT_RATE_LIMIT_PER_SECOND as number,
      smtpUrl: parsed.SMTP_URL as string,
      smtpFrom: parsed.SMTP_FROM as string,
      smtpSinkUrl: (parsed.SMTP_SINK_URL as string).replace(/\/+$/, ''),
      emailRateLimitPerSecond: parsed.EMAIL_RATE_LIMIT_PER_SECOND as number,
      providerFeeModel: parsed.PROVIDER_FEE_MODEL as ProcessingFeeModel,
      disputeFees: parsed.DISPUTE_FEES as Record<string, number>,
      reconciliationRateLimitPerSecond: parsed.RECONCILIATION_RATE_LIMIT_PER_SECOND as number,
      ...overrides,
    } as AppConfig);
  }
}

function parseTrustProxy(value: string): boolean | number | string {
  if (value === 'true') return true;
  if (value === 'false') return false;
  if (/^\d+$/.test(value)) return Number(value);
  return value;
}

/** "512kb" → 524288. Units are binary, as body-parser reads them. */
export function parseByteSize(value: string): number {
  const match = /^(\d+)(b|kb|mb|gb)$/i.exec(value)!;
  const unit = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 }[match[2]!.toLowerCase() as 'b' | 'kb' | 'mb' | 'gb'];
  return Number(match[1]) * unit;
}
