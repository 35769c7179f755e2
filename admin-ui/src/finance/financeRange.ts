import { toSearchParams } from '../providers/queryString';

/** A finance range as the API takes it: UTC calendar days, both included (`to` is inclusive for a date-only value). */
export interface FinanceRange {
  from: string;
  to: string;
  currency?: string;
}

const dayMs = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The last 30 days, today (UTC) included. */
export function last30Days(now = Date.now()): { from: string; to: string } {
  return { from: isoDay(now - 29 * dayMs), to: isoDay(now) };
}

/** The report's and the export's query: the same range, so the CSV is what the page shows. */
export const financeQuery = ({ from, to, currency }: FinanceRange) => ({ from, to, currency: currency || undefined });

/**
 * `GET /api/finance/export.csv` as a plain same-origin link: the httpOnly
 * session cookie authenticates it, the server names the file
 * (Content-Disposition) and streams it, so a large range goes to disk as it
 * arrives instead of into the page's memory.
 */
export const financeExportHref = (range: FinanceRange) => `/api/finance/export.csv?${toSearchParams(financeQuery(range))}`;
