import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { csvBom, CsvDecimal, csvLine, type CsvValue } from '../http/csv.js';
import { incidentReference } from '../incidents/incident-lifecycle.js';
import { toMajorUnits } from '../money/money.js';
import { financeFilter } from './finance-report.service.js';
import type { FinanceRange } from './ledger.schemas.js';

/** Rows fetched from the cursor per round trip: a few hundred kilobytes of CSV, whatever the range holds. */
const batchRows = 2000;

const header = [
  'entry_id',
  'occurred_at',
  'recorded_at',
  'incident',
  'incident_id',
  'incident_title',
  'order_id',
  'order_source',
  'order_external_id',
  'category',
  'currency',
  'amount_minor',
  'amount',
  'source_type',
  'source_id',
  'provider_ref',
  'run_id',
  'step_id',
  'event_id',
];

interface ExportRow {
  id: string;
  occurred_at: Date;
  recorded_at: Date;
  number: number;
  incident_id: string;
  title: string;
  order_id: string;
  source: string;
  external_id: string;
  category: string;
  currency: string;
  amount_minor: number;
  source_type: string;
  source_id: string;
  provider_ref: string | null;
  run_id: string | null;
  step_id: string | null;
  event_id: string | null;
}

function toCells(row: ExportRow): CsvValue[] {
  return [
    row.id,
    row.occurred_at,
    row.recorded_at,
    incidentReference(row.number),
    row.incident_id,
    row.title,
    row.order_id,
    row.source,
    row.external_id,
    row.category,
    row.currency,
    row.amount_minor,
    new CsvDecimal(toMajorUnits(row.amount_minor, row.currency)),
    row.source_type,
    row.source_id,
    row.provider_ref,
    row.run_id,
    row.step_id,
    row.event_id,
  ];
}

export interface OpenExport {
  fileName: string;
  /** The CSV, chunk by chunk; stopping early (the client went away) closes the cursor and its connection. */
  chunks: AsyncGenerator<string>;
  /** Ends the transaction and gives the connection back (idempotent); call it however the response ended. */
  close(): Promise<void>;
}

/**
 * GET /api/finance/export.csv: every ledger entry of a range, one line each,
 * streamed from a server-side cursor inside one REPEATABLE READ READ ONLY
 * transaction — a consistent snapshot in constant memory, however large the
 * range. Amounts twice: integer minor units and exact major units. Cells go
 * through the one CSV writer (http/csv.ts), which neutralises formulas.
 */
@Injectable()
export class FinanceExport {
  constructor(private readonly dataSource: DataSource) {}

  /** Opens the cursor before anything is sent, so a failure here is still a proper error response. */
  async open(range: FinanceRange): Promise<OpenExport> {
    const filter = financeFilter(range, 'l.');
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction('REPEATABLE READ');
      await runner.query(`SET TRANSACTION READ ONLY`);
      await runner.query(
        `DECLARE ledger_export NO SCROLL CURSOR FOR
         SELECT l.id::text AS id, l.occurred_at, l.recorded_at, i.number, l.incident_id, i.title, l.order_id, o.source, o.external_id,
                l.category, trim(l.currency) AS currency, l.amount_minor, l.source_type, l.source_id, l.provider_ref, l.run_id, l.step_id, l.event_id
         FROM ledger_entry l JOIN incident i ON i.id = l.incident_id JOIN orders o ON o.id = l.order_id
         ${filter.sql}
         ORDER BY l.occurred_at, l.id`,
        filter.params,
      );
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      await runner.release();
      throw error;
    }
    const day = (date: Date) => date.toISOString().slice(0, 10);
    let closed: Promise<void> | undefined;
    // Read only: nothing to commit. Rolling back closes the cursor.
    const close = () =>
      (closed ??= runner
        .rollbackTransaction()
        .catch(() => undefined)
        .then(() => runner.release()));
    return {
      fileName: `ledger-${day(range.from)}-to-${day(new Date(range.to.getTime() - 1))}.csv`,
      close,
      chunks: (async function* () {
        try {
          yield csvBom + csvLine(header);
          for (;;) {
            const rows: ExportRow[] = await runner.query(`FETCH ${batchRows} FROM ledger_export`);
            if (rows.length > 0) yield rows.map((row) => csvLine(toCells(row))).join('');
            if (rows.length < batchRows) break;
          }
        } finally {
          await close();
        }
      })(),
    };
  }
}
