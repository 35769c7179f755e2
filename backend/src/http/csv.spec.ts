import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvCell, CsvDecimal, csvLine } from './csv.js';

const risky = ['=', '+', '-', '@', '\t', '\r', '＝', '＋', '－', '＠'];

/** Reads one line back the way a spreadsheet importer would (RFC 4180). */
const readBack = (line: string): string[] => parse(line, { relax_column_count: true })[0] ?? [];

describe('CSV cells', () => {
  it.each([
    ['=HYPERLINK("http://evil","x")', `"'=HYPERLINK(""http://evil"",""x"")"`],
    ['+1+2', "'+1+2"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tcmd', "'\tcmd"],
    ['\r=1', `"'\r=1"`],
    ['＝1+1', "'＝1+1"],
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['line\nbreak', '"line\nbreak"'],
    ['', ''],
  ])('%j → %j', (input, expected) => {
    expect(csvCell(input)).toBe(expected);
  });

  it('writes numbers and exact decimals as numbers (a negative amount stays a number)', () => {
    expect(csvCell(-1299)).toBe('-1299');
    expect(csvCell(new CsvDecimal('-12.99'))).toBe('-12.99');
    expect(() => new CsvDecimal('-1+2')).toThrow(RangeError);
    expect(() => new CsvDecimal('=1')).toThrow(RangeError);
    expect(() => csvCell(Number.NaN)).toThrow(RangeError);
    expect(csvCell(null)).toBe('');
    expect(csvCell(new Date('2026-11-21T08:00:00Z'))).toBe('2026-11-21T08:00:00.000Z');
  });

  it('ends records with CRLF', () => {
    expect(csvLine(['a', 1, null])).toBe('a,1,\r\n');
  });

  it('reads back as the same text, apostrophe-prefixed exactly when it could start a formula', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.string(),
            fc.constantFrom(...risky).chain((c) => fc.string().map((s) => c + s)),
          ),
          { minLength: 1, maxLength: 6 },
        ),
        (cells) => {
          const back = readBack(csvLine(cells));
          expect(back).toHaveLength(cells.length);
          cells.forEach((cell, i) => {
            const dangerous = risky.some((c) => cell.startsWith(c));
            expect(back[i]).toBe(dangerous ? `'${cell}` : cell);
            expect(risky.some((c) => back[i]!.startsWith(c))).toBe(false);
          });
        },
      ),
    );
  });

  it('never lets a decimal or a number start a formula', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }), fc.nat(3), (minor, exponent) => {
        const text = minor.toString();
        const decimal = exponent ? `${text.slice(0, -exponent) || '0'}.${text.slice(-exponent)}` : text;
        fc.pre(/^-?\d+(\.\d+)?$/.test(decimal));
        const cell = csvCell(new CsvDecimal(decimal));
        expect(cell).toMatch(/^-?\d+(\.\d+)?$/);
      }),
    );
  });
});
