import { BadRequestException, Body, Controller, HttpCode, NotFoundException, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { DataSource, type EntityManager } from 'typeorm';
import { z } from 'zod';
import { AuditService } from '../audit/audit.service.js';
import { Machine } from '../auth/access.decorators.js';
import { validationError } from '../http/validation.js';
import { fulfilmentStates } from '../orders/fulfilment-state.js';
import { OrderIngestionService } from './order-ingestion.service.js';
import { platformActor } from './platform-actor.js';

const eventSchema = z.discriminatedUnion(
  'type',
  [
    z.strictObject({
      id: z.string().min(1).max(200),
      type: z.literal('order.created'),
      createdAt: z.string().optional(),
      data: z.strictObject({ order: z.unknown() }),
    }),
    z.strictObject({
      id: z.string().min(1).max(200),
      type: z.literal('order.updated'),
      createdAt: z.string().optional(),
      data: z.strictObject({ order: z.unknown() }),
    }),
    z.strictObject({
      id: z.string().min(1).max(200),
      type: z.literal('order.fulfilment_changed'),
      createdAt: z.string().optional(),
      data: z.strictObject({
        source: z.string().min(1).max(64),
        externalId: z.string().min(1).max(128),
        fulfilment: z.strictObject({
          state: z.enum(fulfilmentStates, { error: `must be one of ${fulfilmentStates.join(', ')}` }),
          carrier: z.string().max(50).nullish(),
          trackingNumber: z.string().max(100).nullish(),
        }),
      }),
    }),
  ],
  { error: 'must be order.created, order.updated or order.fulfilment_changed' },
);

/**
 * The commerce platform's signed webhook (signature checked by the access
 * guard before anything is read). Each event id is processed once: a
 * re-delivery is acknowledged and changes nothing.
 */
@ApiTags('ingestion')
@Controller('api/webhooks/platform')
export class PlatformWebhookController {
  constructor(
    private readonly ingestion: OrderIngestionService,
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  @Post()
  @HttpCode(200)
  @Machine('platform-webhook')
  async receive(@Body() body: unknown) {
    const parsed = eventSchema.safeParse(body);
    if (!parsed.success) throw validationError(parsed.error, 'webhook event');
    const event = parsed.data;

    if (event.type === 'order.fulfilment_changed') {
      return this.dataSource.transaction(async (manager) => {
        if (!(await this.claim(manager, event.id, event.type))) return { received: event.id, duplicate: true };
        const { source, externalId, fulfilment } = event.data;
        const rows: { id: string }[] = await manager.query(
          // Wrapped in a CTE so TypeORM returns the rows (a bare UPDATE answers [rows, count]).
          `WITH changed AS (
             UPDATE orders SET fulfilment_state = $3, carrier = COALESCE($4, carrier), tracking_number = COALESCE($5, tracking_number), updated_at = now()
             WHERE source = $1 AND external_id = $2 RETURNING id
           ) SELECT id FROM changed`,
          [source, externalId, fulfilment.state, fulfilment.carrier ?? null, fulfilment.trackingNumber ?? null],
        );
        // Throwing rolls the claim back too, so the platform's retry is processed once the order exists.
        if (rows.length === 0) throw new NotFoundException(`No order ${source}/${externalId}`);
        await this.audit.record(
          manager,
          {
            action: 'orders.fulfilment-changed',
            targetType: 'order',
            targetId: rows[0]!.id,
            summary: { ...fulfilment, eventId: event.id },
          },
          platformActor,
        );
        return { received: event.id, duplicate: false, orderId: rows[0]!.id };
      });
    }

    const result = this.ingestion.validate(event.data.order);
    if (!result.ok) {
      throw new BadRequestException({
        message: `Order rejected: ${result.errors.map((e) => `${e.field} ${e.message}`).join('; ')}`,
        fields: result.errors.map(({ field, message }) => ({ field: `data.order.${field}`, message })),
      });
    }
    const order = result.order;
    return this.dataSource.transaction(async (manager) => {
      if (!(await this.claim(manager, event.id, event.type))) return { received: event.id, duplicate: true };
      const written = await this.ingestion.writeInTransaction(manager, order, {
        action: `orders.webhook-${event.type.split('.')[1]}`,
        actor: platformActor,
      });
      return { received: event.id, duplicate: false, orderId: written.id, outcome: written.outcome };
    });
  }

  /** Records the event id; false when it was already processed. */
  private async claim(manager: EntityManager, id: string, type: string): Promise<boolean> {
    const rows = await manager.query(`INSERT INTO platform_event (id, type) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING RETURNING id`, [
      id,
      type,
    ]);
    return rows.length === 1;
  }
}
