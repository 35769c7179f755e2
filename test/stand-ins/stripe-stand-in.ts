import Stripe from 'stripe';
import { createStripeClient } from '../../backend/src/payments/stripe-client.js';
import { freePort, startProcess } from './stand-in-process.js';

/**
 * A Stripe stand-in of its own for one test file: a real process on a free
 * 127.0.0.1 port (not the stack's), driven through the real `stripe` SDK
 * configured the way the backend maps STRIPE_API_BASE onto it.
 */

export const testKey = 'sk_test_stand_in_suite';

export interface FaultPatch {
  error5xxRate?: number;
  resetAfterCommitRate?: number;
  latencyMs?: number;
  rateLimitRps?: number | null;
  seed?: number;
  webhookDuplicateRate?: number;
  webhookReorderBatch?: number;
  webhookReorderWindowMs?: number;
  webhookDelayMaxMs?: number;
  webhookMaxAttempts?: number;
  webhookRetryBaseMs?: number;
}

export interface StandInProcess {
  port: number;
  baseUrl: string;
  /** An SDK client with retries off, unless the test asks for them. */
  stripe(options?: { apiKey?: string; maxNetworkRetries?: number }): Stripe;
  /** A raw HTTP call (form-encoded like the SDK) for headers the SDK hides. */
  raw(
    method: 'GET' | 'POST',
    path: string,
    options?: { form?: Record<string, string>; headers?: Record<string, string> },
  ): Promise<Response>;
  faults(patch: FaultPatch): Promise<Record<string, unknown>>;
  clearFaults(): Promise<void>;
  stats(): Promise<StandInStats>;
  /** A control call (`/__stand-in/…`) with a JSON body; answers status and parsed body. */
  control(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<{ status: number; body: any }>;
  output(): string;
  /** SIGTERM and wait; resolves with how it exited. */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Stop, then start again with the same port and environment (same DATA_FILE: state must come back). */
  restart(): Promise<void>;
}

export interface StandInStats {
  requests: {
    total: number;
    byStatus: Record<string, number>;
    rateLimited: number;
    injected5xx: number;
    injectedResets: number;
    idempotentReplays: number;
    idempotencyKeysInFlight: number;
  };
  objects: Record<string, number>;
  refunds: number;
  refundedByCurrency: Record<string, number>;
  doubleRefundedCharges: {
    charge: string;
    amount: number;
    amountRefunded: number;
    currency: string;
    refunds: { id: string; amount: number }[];
  }[];
  events: Record<string, number>;
  webhooks: {
    endpoints: number;
    attempts: number;
    delivered: number;
    failedAttempts: number;
    retriesScheduled: number;
    abandoned: number;
    duplicatesSent: number;
    queued: number;
    waiting: number;
    inFlight: number;
  };
}

/** The backend's own SDK factory, so these tests also prove the adapter's URL mapping. */
export function stripeClientFor(baseUrl: string, apiKey: string, maxNetworkRetries = 0): Stripe {
  return createStripeClient({ apiBase: baseUrl, secretKey: apiKey, maxNetworkRetries });
}

export async function startStripeStandIn(env: Record<string, string> = {}): Promise<StandInProcess> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const running = await startProcess('stripe', { PORT: String(port), ...env }, 'stripe stand-in listening');

  const control = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${baseUrl}${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
    if (!res.ok) throw new Error(`${method} ${path} -> ${res.status} ${await res.text()}`);
    return res.json();
  };

  return {
    port,
    baseUrl,
    stripe: (options = {}) => stripeClientFor(baseUrl, options.apiKey ?? testKey, options.maxNetworkRetries ?? 0),
    raw: (method, path, options = {}) =>
      fetch(`${baseUrl}${path}`, {
        method,
        headers: {
          Authorization: `Bearer ${testKey}`,
          ...(options.form ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {}),
          ...options.headers,
        },
        body: options.form ? new URLSearchParams(options.form).toString() : undefined,
      }),
    faults: (patch) => control('POST', '/__stand-in/faults', patch),
    clearFaults: async () => {
      await control('DELETE', '/__stand-in/faults');
    },
    stats: () => control('GET', '/__stand-in/stats'),
    control: async (method, path, body) => {
      const res = await fetch(`${baseUrl}${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
      return { status: res.status, body: await res.json() };
    },
    output: running.output,
    stop: running.stop,
    restart: running.restart,
  };
}
