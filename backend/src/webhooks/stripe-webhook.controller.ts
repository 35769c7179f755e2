import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import { ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { Machine } from '../auth/access.decorators.js';
import { validationError } from '../http/validation.js';
import { StripeEventsService } from './stripe-events.service.js';
import { unreadableEventIssues } from './stripe-object-shapes.js';

const eventSchema = z.object({
  id: z.string().regex(/^evt_\w+$/, 'must be a Stripe event id (evt_…)'),
  type: z.string().min(1).max(100),
  created: z.number().int().nonnegative(),
  // Checked as a plain object without walking its members: unreadableEventIssues checks those the service reads.
  data: z.object({
    object: z.custom<Record<string, unknown>>(
      (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
      'must be an object',
    ),
  }),
});

/**
 * Stripe's webhook. The access guard verifies `Stripe-Signature` over the raw
 * body before anything is read (400 malformed, 401 forged or stale); each
 * event is applied once, in any order (StripeEventsService).
 */
@ApiTags('payments')
@Controller('api/webhooks/stripe')
export class StripeWebhookController {
  constructor(private readonly events: StripeEventsService) {}

  @Post()
  @HttpCode(200)
  @Machine('stripe-webhook')
  async receive(@Body() body: unknown, @Req() req: Request & { rawBody?: Buffer }) {
    const parsed = eventSchema.safeParse(body);
    if (!parsed.success) throw validationError(parsed.error, 'Stripe event');
    const unreadable = unreadableEventIssues(parsed.data);
    if (unreadable.length) throw validationError(new z.ZodError(unreadable), 'Stripe event');
    return this.events.receive(parsed.data, req.rawBody?.toString('utf8'));
  }
}
