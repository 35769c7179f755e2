import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import Stripe from 'stripe';
import { createStripeClient } from '../../backend/src/payments/stripe-client.js';

/**
 * A Stripe stand-in of its own for one test file: a real process on a free
 * 127.0.0.1 port (not the stack's), driven through the real `stripe` SDK
 * configured the way the backend maps STRIPE_API_BASE onto it.
 */
const repoRoot = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');
const entry = join(repoRoot, 'stand-ins', 'dist', 'stripe', 'main.js');

export const testKey = 'sk_test_stand_in_suite';

export interface FaultPatch {
  error5xxRate?: number;
  resetAfterCommitRate?: number;
  latencyMs?: number;
  rateLimitRps?: number | null;
  seed?: number;
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
}

/** The backend's own SDK factory, so these tests also prove the adapter's URL mapping. */
export function stripeClientFor(baseUrl: string, apiKey: string, maxNetworkRetries = 0): Stripe {
  return createStripeClient({ apiBase: baseUrl, secretKey: apiKey, maxNetworkRetries });
}

export async function startStripeStandIn(env: Record<string, string> = {}): Promise<StandInProcess> {
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run \`npm run build -w stand-ins\``);
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  let child!: ChildProcess;
  let output = '';

  const launch = async () => {
    const from = output.length;
    child = spawn(process.execPath, [entry], {
      env: { PATH: process.env.PATH ?? '', PORT: String(port), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await waitFor(() => output.slice(from).includes('"msg":"stripe stand-in listening"') || child.exitCode !== null, 10_000);
    if (child.exitCode !== null) throw new Error(`stand-in exited (${child.exitCode}):\n${output}`);
  };
  await launch();

  const stop = () =>
    new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve({ code: child.exitCode, signal: child.signalCode });
      child.once('exit', (code, signal) => resolve({ code, signal }));
      child.kill('SIGTERM');
    });

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
    output: () => output,
    stop,
    restart: async () => {
      await stop();
      await launch();
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the stand-in');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
