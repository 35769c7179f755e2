import { Injectable } from '@nestjs/common';
import type { Readable } from 'node:stream';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService, type Actor } from '../audit/audit.service.js';
import { issuesToErrors, maxReportedErrors, type InputError } from './line-error.js';
import { ndjsonLines } from './ndjson-lines.js';
import { normaliseOrder, type NormalisedOrder } from './normalise-order.js';
import { writeOrderBatch, type BatchResult } from './order-batch-writer.js';
import { orderInputSchema } from './order-input.schema.js';
import { parseStorableJson } from '../http/storable-json.js';

/** Orders per write: large enough to amortise round trips, small enough to keep memory flat. */
export const batchSize = 5000;
/** Batches written at once on separate connections while parsing goes on (see bench/ingest.ts). */
export const maxConcurrentWrites = 3;

export interface IngestReport extends BatchResult {
  lines: number;
  rejected: number;
  errors: InputError[];
  errorsTruncated: boolean;
  /** False when all-or-nothing was asked for and a line was rejected: nothing was written. */
  committed: boolean;
}

export interface WrittenOrder {
  id: string;
  outcome: 'created' | 'updated' | 'unchanged';
}

/** Who is writing, for the audit rows written with each batch. */
export interface Writer {
  action: string;
  actor?: Actor;
  reason?: string;
}

export type ValidationResult = { ok: true; order: NormalisedOrder } | { ok: false; errors: InputError[] };

/**
 * The one way orders enter the system, whatever the transport (REST, NDJSON,
 * CSV, webhook): validate, normalise, write in batches, idempotent by
 * (source, external id).
 */
@Injectable()
export class OrderIngestionService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  validate(input: unknown, line = 1): ValidationResult {
    const parsed = orderInputSchema.safeParse(input);
    return parsed.success ? { ok: true, order: normaliseOrder(parsed.data) } : { ok: false, errors: issuesToErrors(line, parsed.error) };
  }

  async writeOne(order: NormalisedOrder, who: Writer): Promise<WrittenOrder> {
    return this.dataSource.transaction((manager) => this.writeInTransaction(manager, order, who));
  }

  /** One order inside the caller's transaction (the webhook claims its event id in the same one). */
  async writeInTransaction(manager: EntityManager, order: NormalisedOrder, who: Writer): Promise<WrittenOrder> {
    const result = await this.writeAudited(manager, [order], who);
    const [{ id }] = await manager.query(`SELECT id FROM orders WHERE source = $1 AND external_id = $2`, [order.source, order.externalId]);
    return { id, outcome: result.created ? 'created' : result.updated ? 'updated' : 'unchanged' };
  }

  /** Writes already-validated orders (CSV import, generators) in batches. */
  async writeMany(orders: NormalisedOrder[], who: Writer): Promise<BatchResult> {
    const total: BatchResult = { created: 0, updated: 0, unchanged: 0 };
    for (let start = 0; start < orders.length; start += batchSize) {
      const result = await this.dataSource.transaction((manager) =>
        this.writeAudited(manager, orders.slice(start, start + batchSize), who),
      );
      add(total, result);
    }
    return total;
  }

  /** One batch and its audit row, in the caller's transaction: both land or neither does. */
  private async writeAudited(manager: EntityManager, orders: NormalisedOrder[], who: Writer): Promise<BatchResult> {
    const result = await writeOrderBatch(manager, orders);
    await this.audit.record(
      manager,
      {
        action: who.action,
        targetType: 'orders',
        targetId: orders.length === 1 ? `${orders[0]!.source}/${orders[0]!.externalId}` : null,
        reason: who.reason,
        summary: { ...result },
      },
      who.actor,
    );
    return result;
  }

  /**
   * Streams NDJSON: bad lines are reported by number and the good ones land,
   * or — with `allOrNothing` — one transaction holds everything and any bad
   * line rolls it all back.
   */
  async ingestNdjson(body: Readable, options: { maxBytes: number; allOrNothing: boolean }, who: Writer): Promise<IngestReport> {
    const report: IngestReport = {
      lines: 0,
      created: 0,
      updated: 0,
      unchanged: 0,
      rejected: 0,
      errors: [],
      errorsTruncated: false,
      committed: true,
    };
    const run = async (manager: EntityManager | undefined) => {
      // Parsing the next batch overlaps with writing the previous ones: up to
      // `writesInFlight` batches are being written while lines keep streaming in.
      // A single all-or-nothing transaction has one connection, so one write at a time.
      const writesInFlight = manager ? 1 : maxConcurrentWrites;
      const inFlight: Promise<void>[] = [];
      let batch: NormalisedOrder[] = [];
      const flush = async () => {
        if (batch.length === 0) return;
        const toWrite = batch;
        batch = [];
        if (inFlight.length >= writesInFlight) await inFlight.shift();
        const write = (
          manager ? this.writeAudited(manager, toWrite, who) : this.dataSource.transaction((m) => this.writeAudited(m, toWrite, who))
        ).then((result) => add(report, result));
        write.catch(() => undefined); // awaited below; this only keeps a failure from being "unhandled" meanwhile
        inFlight.push(write);
      };
      try {
        for await (const { number, text, notUtf8 } of ndjsonLines(body, options.maxBytes)) {
          if (!notUtf8 && !text.trim()) continue;
          report.lines++;
          const result: ValidationResult = notUtf8
            ? { ok: false, errors: [{ line: number, field: '(line)', message: 'is not valid UTF-8: send the file UTF-8 encoded' }] }
            : this.parseLine(text, number);
          if (result.ok) {
            batch.push(result.order);
            if (batch.length >= batchSize) await flush();
          } else {
            report.rejected++;
            this.collect(report, result.errors);
          }
        }
        await flush();
      } finally {
        // Never leave a write running behind the response, even when the body failed.
        await Promise.allSettled(inFlight);
      }
      await Promise.all(inFlight);
    };

    if (!options.allOrNothing) {
      await run(undefined);
      return report;
    }
    await this.dataSource
      .transaction(async (manager) => {
        await run(manager);
        if (report.rejected > 0) throw new RollBack();
      })
      .catch((error: unknown) => {
        if (!(error instanceof RollBack)) throw error;
      });
    if (report.rejected > 0) Object.assign(report, { created: 0, updated: 0, unchanged: 0, committed: false });
    return report;
  }

  private parseLine(text: string, line: number): ValidationResult {
    let json: unknown;
    try {
      json = parseStorableJson(text);
    } catch (error) {
      return { ok: false, errors: [{ line, field: '(line)', message: `is not valid JSON: ${(error as Error).message}` }] };
    }
    return this.validate(json, line);
  }

  private collect(report: IngestReport, errors: InputError[]) {
    for (const error of errors) {
      if (report.errors.length < maxReportedErrors) report.errors.push(error);
      else report.errorsTruncated = true;
    }
  }
}

class RollBack extends Error {}

function add(total: BatchResult, result: BatchResult) {
  total.created += result.created;
  total.updated += result.updated;
  total.unchanged += result.unchanged;
}
