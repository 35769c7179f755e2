import { Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { PAYMENT_PROVIDER, type PaymentProvider } from './payment-provider.js';
import { notConfigured } from './provider-failure.js';
import { createStripeClient } from './stripe-client.js';
import { StripePayments } from './stripe-payments.js';

/**
 * The payment provider: Stripe through the official SDK at STRIPE_API_BASE,
 * with the SDK's own retries off (the remediation queue counts attempts).
 * Without STRIPE_SECRET_KEY every call fails as `not_configured`.
 */
@Module({
  providers: [
    {
      provide: PAYMENT_PROVIDER,
      inject: [AppConfig],
      useFactory: (config: AppConfig): PaymentProvider => {
        if (!config.stripeSecretKey) {
          const fail = async (): Promise<never> => {
            throw notConfigured('stripe', 'STRIPE_SECRET_KEY');
          };
          const failListing = async function* (): AsyncGenerator<never> {
            throw notConfigured('stripe', 'STRIPE_SECRET_KEY');
          };
          return { refund: fail, findStepRefunds: fail, listPaymentRefunds: failListing, listRefundsSince: failListing };
        }
        return new StripePayments(
          createStripeClient({ secretKey: config.stripeSecretKey, apiBase: config.stripeApiBase, maxNetworkRetries: 0 }),
        );
      },
    },
  ],
  exports: [PAYMENT_PROVIDER],
})
export class PaymentsModule {}
