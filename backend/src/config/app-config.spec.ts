import { describe, expect, it } from 'vitest';
import { AppConfig } from './app-config.js';
import { ConfigError } from './config-error.js';

const valid = {
  DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/db',
  REDIS_URL: 'redis://127.0.0.1:6379',
  SESSION_SECRET: 'a-random-production-secret-of-40-chars!!',
  PLATFORM_API_KEY: 'a-random-platform-api-key-of-40-chars!!!',
  PLATFORM_WEBHOOK_SECRET: 'a-random-webhook-secret-of-40-characters',
  STOREFRONT_API_KEY: 'a-random-storefront-key-of-40-characters',
  STRIPE_WEBHOOK_SECRETS: 'whsec_a-random-webhook-secret-of-40-chars',
};

function problemsOf(env: Record<string, string>) {
  try {
    AppConfig.fromEnv(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('AppConfig.fromEnv', () => {
  it('applies the documented defaults', () => {
    const config = AppConfig.fromEnv(valid);
    expect(config).toMatchObject({
      mode: 'production',
      host: '127.0.0.1',
      port: 3000,
      databasePoolSize: 10,
      queuePrefix: 'rd',
      logLevel: 'info',
      bodyLimit: '1mb',
      adminUiDir: 'auto',
    });
  });

  it('reports every missing required variable at once, naming each', () => {
    const problems = problemsOf({ APP_MODE: 'demo' });
    expect(problems.map((p) => p.variable)).toEqual(['DATABASE_URL', 'REDIS_URL']);
    expect(problems[0]!.message).toMatch(/required/);
  });

  it.each([
    ['PORT', 'abc', /port number/],
    ['PORT', '70000', /between 1 and 65535/],
    ['DATABASE_URL', 'mysql://x', /postgres/],
    ['REDIS_URL', 'not a url', /redis/],
    ['APP_MODE', 'staging', /production, demo, test/],
    ['LOG_LEVEL', 'loud', /one of/],
    ['BODY_LIMIT', 'lots', /size/],
    ['QUEUE_PREFIX', 'has space', /letters/],
    ['WORKER_CONCURRENCY', '0', /> 0/],
  ])('rejects %s=%s with a message naming the problem and the value', (name, value, pattern) => {
    const problems = problemsOf({ ...valid, [name]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]!.variable).toBe(name);
    expect(problems[0]!.message).toMatch(pattern);
    expect(problems[0]!.message).toContain(JSON.stringify(value));
  });

  it('puts every problem in the error message, one per line', () => {
    expect(() => AppConfig.fromEnv({ ...valid, PORT: 'x', APP_MODE: 'y' })).toThrow(/APP_MODE .*\n.*PORT/s);
  });

  it('refuses every demo secret in production, and a short one', () => {
    const {
      SESSION_SECRET: _s,
      PLATFORM_API_KEY: _k,
      PLATFORM_WEBHOOK_SECRET: _w,
      STOREFRONT_API_KEY: _f,
      STRIPE_WEBHOOK_SECRETS: _h,
      ...withoutSecrets
    } = valid;
    expect(problemsOf(withoutSecrets)).toEqual(
      ['SESSION_SECRET', 'PLATFORM_API_KEY', 'PLATFORM_WEBHOOK_SECRET', 'STOREFRONT_API_KEY', 'STRIPE_WEBHOOK_SECRETS'].map((variable) => ({
        variable,
        message: expect.stringMatching(/demo default/),
      })),
    );
    expect(problemsOf({ ...valid, SESSION_SECRET: 'short-but-16-chars' })).toEqual([
      { variable: 'SESSION_SECRET', message: 'must be at least 32 characters in production' },
    ]);
  });

  it('accepts the demo session secret in demo and test mode', () => {
    const { SESSION_SECRET: _unused, ...withoutSecret } = valid;
    expect(AppConfig.fromEnv({ ...withoutSecret, APP_MODE: 'demo' }).sessionSecret).toMatch(/^demo-only/);
    expect(AppConfig.fromEnv({ ...withoutSecret, APP_MODE: 'test' }).mode).toBe('test');
  });

  it('reads TRUST_PROXY as a boolean, a hop count or addresses', () => {
    expect(AppConfig.fromEnv(valid).trustProxy).toBe(false);
    expect(AppConfig.fromEnv({ ...valid, TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(AppConfig.fromEnv({ ...valid, TRUST_PROXY: 'loopback' }).trustProxy).toBe('loopback');
  });
});

describe('REFUND_APPROVAL_THRESHOLDS', () => {
  const base = { APP_MODE: 'test', DATABASE_URL: valid.DATABASE_URL, REDIS_URL: valid.REDIS_URL };

  it('reads minor units per currency, with a default', () => {
    expect(AppConfig.fromEnv(base).refundApprovalThresholds).toEqual({ USD: 50000, EUR: 50000, GBP: 50000, JPY: 5000000 });
    expect(AppConfig.fromEnv({ ...base, REFUND_APPROVAL_THRESHOLDS: 'USD:100, KWD:2500' }).refundApprovalThresholds).toEqual({
      USD: 100,
      KWD: 2500,
    });
  });

  it.each(['USD', 'USD:12.50', 'usd:100', 'XXQ:100', 'USD:1,USD:2'])('refuses %s, naming the entry', (value) => {
    const problems = problemsOf({ ...base, REFUND_APPROVAL_THRESHOLDS: value });
    expect(problems.map((p) => p.variable)).toEqual(['REFUND_APPROVAL_THRESHOLDS']);
    expect(problems[0]!.message).toMatch(/must be CURRENCY:minor-units pairs/);
  });
});
