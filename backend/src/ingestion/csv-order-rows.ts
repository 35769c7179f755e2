import { parse } from 'csv-parse/sync';
import { isCurrency } from '../money/currencies.js';
import { parseMajorUnits } from '../money/money.js';
import type { InputError } from './line-error.js';

/** The CSV columns, one row per order line; rows sharing (source, external_id) form one order. */
// prettier-ignore
export const csvColumns = [
  'source', 'external_id', 'placed_at', 'currency',
  'customer_id', 'customer_email', 'customer_name',
  'device_id', 'device_model', 'firmware_version',
  'ship_name', 'ship_line1', 'ship_line2', 'ship_city', 'ship_region', 'ship_postal_code', 'ship_country',
  'shipping_charged', 'shipping_label_cost', 'payment_reference', 'fulfilment_state', 'carrier', 'tracking_number',
  'sku', 'quantity', 'unit_price', 'unit_cost',
] as const;
type Column = (typeof csvColumns)[number];
type Row = Record<Column, string>;

// prettier-ignore
const required: Column[] = ['source', 'external_id', 'placed_at', 'currency', 'customer_id', 'ship_name', 'ship_line1', 'ship_city', 'ship_postal_code', 'ship_country', 'sku', 'quantity', 'unit_price', 'unit_cost'];
const lineColumns = new Set<Column>(['sku', 'quantity', 'unit_price', 'unit_cost']);

/** Maps an order-input field path back to the CSV column a person can fix. */
// prettier-ignore
export const columnOfField: Record<string, Column> = {
  source: 'source', externalId: 'external_id', placedAt: 'placed_at', currency: 'currency',
  'customer.externalId': 'customer_id', 'customer.email': 'customer_email', 'customer.name': 'customer_name',
  'device.id': 'device_id', 'device.model': 'device_model', 'device.firmwareVersion': 'firmware_version',
  'shipTo.name': 'ship_name', 'shipTo.line1': 'ship_line1', 'shipTo.line2': 'ship_line2', 'shipTo.city': 'ship_city',
  'shipTo.region': 'ship_region', 'shipTo.postalCode': 'ship_postal_code', 'shipTo.country': 'ship_country',
  shippingChargedMinor: 'shipping_charged', shippingLabelCostMinor: 'shipping_label_cost', paymentReference: 'payment_reference',
  'fulfilment.state': 'fulfilment_state', 'fulfilment.carrier': 'carrier', 'fulfilment.trackingNumber': 'tracking_number',
  sku: 'sku', quantity: 'quantity', unitPriceMinor: 'unit_price', unitCostMinor: 'unit_cost',
};

export interface CsvOrder {
  /** Data rows (1-based; the header is row 0) that make up this order, line by line. */
  rows: number[];
  input: Record<string, unknown>;
  /** Problems found while turning text cells into the order (money, numbers, disagreeing rows). */
  errors: InputError[];
}

export type CsvParseResult = { ok: true; rowCount: number; orders: CsvOrder[] } | { ok: false; errors: InputError[] };

/**
 * Turns CSV text into order inputs (not yet validated), keeping which rows
 * each came from so every error can name its row and column.
 */
export function csvToOrders(text: string): CsvParseResult {
  let records: string[][];
  try {
    records = parse(text, { bom: true, skip_empty_lines: true, relax_column_count: false, trim: true });
  } catch (error) {
    const { lines } = error as { lines?: number };
    return {
      ok: false,
      errors: [{ line: Math.max((lines ?? 1) - 1, 0), field: '(file)', message: `is not valid CSV: ${(error as Error).message}` }],
    };
  }
  const [header, ...data] = records;
  if (!header) return { ok: false, errors: [{ line: 0, field: '(file)', message: 'is empty: expected a header row' }] };
  const headerErrors: InputError[] = [
    ...header
      .filter((name) => !(csvColumns as readonly string[]).includes(name))
      .map((name) => ({ line: 0, field: name, message: 'is not a known column' })),
    ...required
      .filter((name) => !header.includes(name))
      .map((name) => ({ line: 0, field: name, message: 'is a required column and is missing' })),
  ];
  if (headerErrors.length) return { ok: false, errors: headerErrors };

  const groups = new Map<string, { rows: number[]; records: Row[] }>();
  data.forEach((cells, index) => {
    const row = Object.fromEntries(csvColumns.map((column) => [column, cells[header.indexOf(column)] ?? ''])) as Row;
    const key = `${row.source}\u0000${row.external_id}`;
    const group = groups.get(key) ?? { rows: [], records: [] };
    group.rows.push(index + 1);
    group.records.push(row);
    groups.set(key, group);
  });
  return { ok: true, rowCount: data.length, orders: [...groups.values()].map((group) => toOrder(group.rows, group.records)) };
}

function toOrder(rows: number[], records: Row[]): CsvOrder {
  const errors: InputError[] = [];
  const first = records[0]!;
  // Order-level cells must agree on every row of the order.
  records.slice(1).forEach((record, index) => {
    for (const column of csvColumns) {
      if (!lineColumns.has(column) && record[column] !== first[column]) {
        errors.push({ line: rows[index + 1]!, field: column, message: `differs from row ${rows[0]} of the same order` });
      }
    }
  });
  const currency = first.currency;
  const money = (value: string, column: Column, row: number): number | undefined => {
    if (value === '') return undefined;
    if (!isCurrency(currency)) return undefined; // the currency error is reported once, by validation
    const parsed = parseMajorUnits(value, currency);
    if (parsed.ok) return parsed.minor;
    errors.push({ line: row, field: column, message: parsed.message });
    return undefined;
  };
  const integer = (value: string, column: Column, row: number): number | undefined => {
    if (/^\d+$/.test(value)) return Number(value);
    errors.push({ line: row, field: column, message: 'must be a whole number' });
    return undefined;
  };
  const orNull = (value: string) => (value === '' ? null : value);

  const input = {
    source: first.source,
    externalId: first.external_id,
    placedAt: first.placed_at,
    currency,
    customer: { externalId: first.customer_id, email: orNull(first.customer_email), name: orNull(first.customer_name) },
    device: first.device_id ? { id: first.device_id, model: first.device_model, firmwareVersion: first.firmware_version } : null,
    lines: records.map((record, index) => ({
      sku: record.sku,
      quantity: integer(record.quantity, 'quantity', rows[index]!),
      unitPriceMinor: money(record.unit_price, 'unit_price', rows[index]!),
      unitCostMinor: money(record.unit_cost, 'unit_cost', rows[index]!),
    })),
    shippingChargedMinor: money(first.shipping_charged, 'shipping_charged', rows[0]!) ?? 0,
    shippingLabelCostMinor: money(first.shipping_label_cost, 'shipping_label_cost', rows[0]!) ?? 0,
    paymentReference: orNull(first.payment_reference),
    fulfilment: {
      state: first.fulfilment_state || 'unfulfilled',
      carrier: orNull(first.carrier),
      trackingNumber: orNull(first.tracking_number),
    },
    shipTo: {
      name: first.ship_name,
      line1: first.ship_line1,
      line2: orNull(first.ship_line2),
      city: first.ship_city,
      region: orNull(first.ship_region),
      postalCode: first.ship_postal_code,
      country: first.ship_country,
    },
  };
  return { rows, input, errors };
}
