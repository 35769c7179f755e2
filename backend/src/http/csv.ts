/**
 * THE CSV writer of every export (RFC 4180: comma-separated, CRLF line ends,
 * a cell quoted when it holds a comma, quote, CR or LF, quotes doubled).
 *
 * Spreadsheet formula injection (CWE-1236): a text cell that starts with
 * `=`, `+`, `-`, `@`, a tab or a carriage return — or their full-width forms,
 * which some spreadsheets also read as formulas — could run as a formula when
 * finance opens the file, and the text comes from outside (order ids sent by
 * the platform, incident titles, provider references). Such a cell gets a
 * leading apostrophe, which spreadsheets show as text and do not evaluate.
 * Numbers are written as numbers: a JavaScript number, or a CsvDecimal (an
 * exact decimal string such as a money amount in major units, checked to be
 * nothing but digits), can never be a formula, so "-12.99" stays a number.
 */

/** An exact decimal number given as text ("-12.99"), written unquoted and unprefixed. */
export class CsvDecimal {
  constructor(readonly text: string) {
    if (!/^-?\d+(\.\d+)?$/.test(text)) throw new RangeError(`"${text}" is not a decimal number`);
  }
}

export type CsvValue = string | number | boolean | Date | CsvDecimal | null | undefined;

const formulaStart = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;
const needsQuotes = /[",\r\n]/;

/** One cell as it goes into the file. */
export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof CsvDecimal) return value.text;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`${value} cannot be written to a CSV file`);
    return String(value);
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  let text = value instanceof Date ? value.toISOString() : value;
  if (formulaStart.test(text)) text = `'${text}`;
  return needsQuotes.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One record, CRLF-terminated. */
export function csvLine(values: readonly CsvValue[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}

/** A byte-order mark first, so spreadsheet programs read the file as UTF-8 (names, currencies, references). */
export const csvBom = '\uFEFF';
