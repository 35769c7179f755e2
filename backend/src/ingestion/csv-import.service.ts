import { Injectable } from '@nestjs/common';
import { totalsByCurrency } from '../money/money.js';
import { maxReportedErrors, type InputError } from './line-error.js';
import type { NormalisedOrder } from './normalise-order.js';
import { columnOfField, csvToOrders } from './csv-order-rows.js';
import { OrderIngestionService } from './order-ingestion.service.js';

export interface CsvPreview {
  rows: number;
  orders: number;
  validOrders: number;
  rejectedOrders: number;
  /** `row` is the 1-based data row (the header is row 0). */
  errors: { row: number; field: string; message: string }[];
  errorsTruncated: boolean;
  currencies: { currency: string; orders: number; totalMinor: number }[];
}

/**
 * CSV import from the UI: a preview that names each bad row and column, then
 * the person's explicit choice to import the valid orders (or nothing). The
 * file is re-sent and re-checked for the import, so what is written is exactly
 * what the same rules accept.
 */
@Injectable()
export class CsvImportService {
  constructor(private readonly ingestion: OrderIngestionService) {}

  preview(text: string): CsvPreview & { valid: NormalisedOrder[] } {
    const parsed = csvToOrders(text);
    if (!parsed.ok) return { ...emptyPreview(), errors: parsed.errors.map(toRowError), rejectedOrders: 0, valid: [] };

    const valid: NormalisedOrder[] = [];
    const errors: InputError[] = [];
    let rejected = 0;
    for (const order of parsed.orders) {
      const result = this.ingestion.validate(order.input, order.rows[0]);
      const orderErrors = [...order.errors, ...(result.ok ? [] : result.errors.map((error) => toCsvError(error, order.rows)))];
      if (result.ok && orderErrors.length === 0) valid.push(result.order);
      else {
        rejected++;
        errors.push(...dedupe(orderErrors));
      }
    }
    const currencies = totalsByCurrency(valid.map((o) => ({ amountMinor: o.totalMinor, currency: o.currency }))).map((total) => ({
      currency: total.currency,
      orders: valid.filter((o) => o.currency === total.currency).length,
      totalMinor: total.amountMinor,
    }));
    return {
      rows: parsed.rowCount,
      orders: parsed.orders.length,
      validOrders: valid.length,
      rejectedOrders: rejected,
      errors: errors.slice(0, maxReportedErrors).map(toRowError),
      errorsTruncated: errors.length > maxReportedErrors,
      currencies,
      valid,
    };
  }

  async importValid(text: string, reason?: string) {
    const { valid, ...preview } = this.preview(text);
    const written = await this.ingestion.writeMany(valid, { action: 'orders.import', reason });
    return { ...written, rejected: preview.rejectedOrders, errors: preview.errors, errorsTruncated: preview.errorsTruncated };
  }
}

/** `lines.2.quantity` of an order → the quantity column of that order's third row. */
function toCsvError(error: InputError, rows: number[]): InputError {
  const lineMatch = /^lines\.(\d+)\.(\w+)$/.exec(error.field);
  if (lineMatch)
    return { line: rows[Number(lineMatch[1])] ?? rows[0]!, field: columnOfField[lineMatch[2]!] ?? error.field, message: error.message };
  if (error.field === 'totalMinor') return { line: rows[0]!, field: 'unit_price', message: error.message };
  return { line: rows[0]!, field: columnOfField[error.field] ?? error.field, message: error.message };
}

/** One message per cell: a cell that failed to parse is not reported again by validation. */
function dedupe(errors: InputError[]) {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const key = `${e.line}|${e.field}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
}

const toRowError = (error: InputError) => ({ row: error.line, field: error.field, message: error.message });

function emptyPreview(): CsvPreview {
  return { rows: 0, orders: 0, validOrders: 0, rejectedOrders: 0, errors: [], errorsTruncated: false, currencies: [] };
}
