import Stripe from 'stripe';

export interface StripeConnection {
  secretKey: string;
  /** https://api.stripe.com, or a Stripe-compatible server such as the local stand-in. */
  apiBase: string;
  maxNetworkRetries?: number;
}

/**
 * The official SDK pointed at STRIPE_API_BASE: its host, port and protocol
 * become the SDK's own settings, so the same code talks to Stripe's test mode,
 * live mode or the local stand-in.
 */
export function createStripeClient(connection: StripeConnection): Stripe {
  if (!connection.secretKey) throw new Error('STRIPE_SECRET_KEY is not set: payments cannot be reached');
  const url = new URL(connection.apiBase);
  return new Stripe(connection.secretKey, {
    host: url.hostname,
    port: Number(url.port || (url.protocol === 'https:' ? 443 : 80)),
    protocol: url.protocol === 'http:' ? 'http' : 'https',
    maxNetworkRetries: connection.maxNetworkRetries ?? 2,
    timeout: 20_000,
    telemetry: false,
    appInfo: { name: 'Recovery Desk' },
  });
}
