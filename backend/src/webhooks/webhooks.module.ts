import { Module } from '@nestjs/common';
import { LedgerModule } from '../ledger/ledger.module.js';
import { EngineModule } from '../remediation/engine/engine.module.js';
import { RemediationModule } from '../remediation/remediation.module.js';
import { StripeEventsService } from './stripe-events.service.js';
import { StripeWebhookController } from './stripe-webhook.controller.js';

/** Payment provider webhooks (Stripe). */
@Module({
  imports: [RemediationModule, EngineModule, LedgerModule],
  controllers: [StripeWebhookController],
  providers: [StripeEventsService],
})
export class WebhooksModule {}
