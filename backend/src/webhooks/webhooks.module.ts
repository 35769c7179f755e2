import { Module } from '@nestjs/common';
import { EngineModule } from '../remediation/engine/engine.module.js';
import { RemediationModule } from '../remediation/remediation.module.js';
import { StripeEventsService } from './stripe-events.service.js';
import { StripeWebhookController } from './stripe-webhook.controller.js';

/** Payment provider webhooks (Stripe). */
@Module({
  imports: [RemediationModule, EngineModule],
  controllers: [StripeWebhookController],
  providers: [StripeEventsService],
})
export class WebhooksModule {}
