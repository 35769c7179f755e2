import {
  BadRequestException,
  Body,
  Controller,
  HttpCode,
  HttpStatus,
  Post,
  Query,
  Req,
  Res,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { Machine, Permission } from '../auth/access.decorators.js';
import { AppConfig } from '../config/app-config.js';
import { openApiSchema, validationError, ZodPipe } from '../http/validation.js';
import { CsvImportService } from './csv-import.service.js';
import { orderInputSchema } from './order-input.schema.js';
import { OrderIngestionService } from './order-ingestion.service.js';
import { platformActor } from './platform-actor.js';

const bulkQuery = z.strictObject({
  mode: z.enum(['valid-only', 'all-or-nothing'], { error: 'must be valid-only or all-or-nothing' }).default('valid-only'),
});
const csvQuery = z.strictObject({
  mode: z.enum(['preview', 'valid-only'], { error: 'must be preview or valid-only' }),
  reason: z.string().trim().max(1000).optional(),
});

@ApiTags('ingestion')
@Controller('api/orders')
export class IngestionController {
  constructor(
    private readonly ingestion: OrderIngestionService,
    private readonly csv: CsvImportService,
    private readonly config: AppConfig,
  ) {}

  /** One order from the platform. Re-sending the same (source, externalId) updates it in place. */
  @Post()
  @Machine('platform')
  @ApiBody({ schema: openApiSchema(orderInputSchema) })
  async ingestOne(@Req() req: Request, @Body() body: unknown, @Res({ passthrough: true }) res: Response) {
    if (!req.is('application/json')) throw new UnsupportedMediaTypeException('Send the order as JSON (Content-Type: application/json)');
    const result = this.ingestion.validate(body);
    if (!result.ok) {
      throw new BadRequestException({
        message: `Order rejected: ${result.errors.map((e) => `${e.field} ${e.message}`).join('; ')}`,
        fields: result.errors.map(({ field, message }) => ({ field, message })),
      });
    }
    const written = await this.ingestion.writeOne(result.order, { action: 'orders.ingest', actor: platformActor });
    res.status(written.outcome === 'created' ? HttpStatus.CREATED : HttpStatus.OK);
    return written;
  }

  /**
   * NDJSON, one order per line, streamed: millions of orders without holding
   * the body in memory. Bad lines are reported by number; `mode=all-or-nothing`
   * writes nothing unless every line is good (then the answer is 422).
   */
  @Post('bulk')
  @HttpCode(200)
  @Machine('platform')
  @ApiConsumes('application/x-ndjson')
  async ingestBulk(
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @Query(new ZodPipe(bulkQuery, 'query')) query: z.infer<typeof bulkQuery>,
  ) {
    if (!req.is(['application/x-ndjson', 'application/jsonl', 'application/json-seq', 'text/plain'])) {
      throw new UnsupportedMediaTypeException('Send the orders as NDJSON (Content-Type: application/x-ndjson), one JSON order per line');
    }
    const report = await this.ingestion.ingestNdjson(
      req,
      { maxBytes: this.config.ingestMaxBytes, allOrNothing: query.mode === 'all-or-nothing' },
      { action: 'orders.bulk-ingest', actor: platformActor },
    );
    if (!report.committed) {
      res.status(HttpStatus.UNPROCESSABLE_ENTITY);
      // Like every 4xx, the refusal says what went wrong in `message`; the per-line errors follow.
      const message = `Nothing written (all-or-nothing): ${report.rejected} of ${report.lines} lines rejected`;
      return { message, mode: query.mode, ...report };
    }
    return { mode: query.mode, ...report };
  }

  /** CSV from the UI: `mode=preview` writes nothing; `mode=valid-only` imports the orders without errors. */
  @Post('import')
  @HttpCode(200)
  @Permission('orders.import')
  @ApiConsumes('text/csv')
  async importCsv(@Req() req: Request, @Query(new ZodPipe(csvQuery, 'query')) query: z.infer<typeof csvQuery>) {
    if (typeof req.body !== 'string') throw new UnsupportedMediaTypeException('Send the CSV file as the body (Content-Type: text/csv)');
    if (!req.body.trim())
      throw validationError(new z.ZodError([{ code: 'custom', path: ['(file)'], message: 'is empty', input: '' }]), 'CSV file');
    if (query.mode === 'preview') {
      const { valid: _valid, ...preview } = this.csv.preview(req.body);
      return { mode: 'preview', ...preview };
    }
    const result = await this.csv.importValid(req.body, query.reason);
    return { mode: 'valid-only', ...result };
  }
}
