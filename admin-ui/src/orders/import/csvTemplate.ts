/**
 * Columns of the order import CSV, in template order (header row, snake_case).
 * One row per order line; rows sharing (source, external_id) form one order.
 * Money columns (shipping_charged, shipping_label_cost, unit_price, unit_cost)
 * are decimal major units, e.g. "12.99"; the server converts them with the
 * currency's exponent.
 */
export const ORDER_CSV_COLUMNS = [
  'source',
  'external_id',
  'placed_at',
  'currency',
  'customer_id',
  'customer_email',
  'customer_name',
  'device_id',
  'device_model',
  'firmware_version',
  'ship_name',
  'ship_line1',
  'ship_line2',
  'ship_city',
  'ship_region',
  'ship_postal_code',
  'ship_country',
  'shipping_charged',
  'shipping_label_cost',
  'payment_reference',
  'fulfilment_state',
  'carrier',
  'tracking_number',
  'sku',
  'quantity',
  'unit_price',
  'unit_cost',
] as const;

export type OrderCsvColumn = (typeof ORDER_CSV_COLUMNS)[number];

/** One illustrative order line; every value is made up. */
export const ORDER_CSV_EXAMPLE: Record<OrderCsvColumn, string> = {
  source: 'webshop',
  external_id: 'ORD-100234',
  placed_at: '2025-03-14T09:26:53Z',
  currency: 'USD',
  customer_id: 'CUST-5512',
  customer_email: 'jane.doe@example.com',
  customer_name: 'Jane Doe',
  device_id: 'PRN-000123',
  device_model: 'InkJet 3000',
  firmware_version: '4.2.1',
  ship_name: 'Jane Doe',
  ship_line1: '1 Example Street',
  ship_line2: 'Suite 2',
  ship_city: 'Springfield',
  ship_region: 'IL',
  ship_postal_code: '62701',
  ship_country: 'US',
  shipping_charged: '4.99',
  shipping_label_cost: '3.20',
  payment_reference: 'pi_3ExampleOnly000',
  fulfilment_state: 'unfulfilled',
  carrier: '',
  tracking_number: '',
  sku: 'INK-BLK-XL',
  quantity: '2',
  unit_price: '12.99',
  unit_cost: '7.50',
};

/** RFC 4180 quoting: only when a value holds a comma, quote or line break. */
function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function toCsvLine(values: readonly string[]): string {
  return values.map(csvCell).join(',');
}

/** Header plus the example row, CRLF-terminated as RFC 4180 asks. */
export function buildOrderCsvTemplate(): string {
  return [toCsvLine(ORDER_CSV_COLUMNS), toCsvLine(ORDER_CSV_COLUMNS.map((column) => ORDER_CSV_EXAMPLE[column]))].join('\r\n') + '\r\n';
}

/** The template as a link target, built in the browser (no request). */
export function orderCsvTemplateHref(): string {
  return `data:text/csv;charset=utf-8,${encodeURIComponent(buildOrderCsvTemplate())}`;
}
