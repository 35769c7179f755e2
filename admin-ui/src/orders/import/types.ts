/** `POST /api/orders/import?mode=…` — the raw CSV file is the request body (text/csv). */
export type OrderImportMode = 'preview' | 'valid-only';

/** One rejected cell or row. `row` is the 1-based data row (the header is row 0). */
export interface OrderImportError {
  row: number;
  field?: string | null;
  message: string;
}

/** Totals per currency of the orders that would be imported (minor units). */
export interface OrderImportCurrencyTotal {
  currency: string;
  orders: number;
  totalMinor: number;
}

export interface OrderImportPreview {
  mode: 'preview';
  rows: number;
  orders: number;
  validOrders: number;
  rejectedOrders: number;
  errors: OrderImportError[];
  /** At most 1000 errors are returned; true when there were more. */
  errorsTruncated?: boolean;
  currencies: OrderImportCurrencyTotal[];
}

export interface OrderImportResult {
  mode: 'valid-only';
  created: number;
  updated: number;
  rejected: number;
  errors: OrderImportError[];
  errorsTruncated?: boolean;
}

export interface OrderImportParams<M extends OrderImportMode = OrderImportMode> {
  mode: M;
  file: Blob;
  /** Optional audit-log reason, sent with `valid-only` imports. */
  reason?: string;
  /** Previews may be abandoned (another file picked); imports are never aborted. */
  signal?: AbortSignal;
}

export type OrderImportResponse<M extends OrderImportMode> = M extends 'preview' ? OrderImportPreview : OrderImportResult;
