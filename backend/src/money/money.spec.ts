import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { currencyCodes, exponentOf, isCurrency } from './currencies.js';
import { formatMoney, parseMajorUnits, sumMoney, toMajorUnits, totalsByCurrency } from './money.js';

describe('currencies', () => {
  it('knows exponents of 0, 2 and 3 decimals', () => {
    expect([exponentOf('JPY'), exponentOf('USD'), exponentOf('KWD'), exponentOf('EUR'), exponentOf('CLF')]).toEqual([0, 2, 3, 2, 4]);
  });
  it('rejects unknown and lower-case codes', () => {
    expect(isCurrency('XXX')).toBe(false);
    expect(isCurrency('usd')).toBe(false);
    expect(() => exponentOf('ABC')).toThrow(/Unknown currency "ABC"/);
  });
  it('agrees with the ICU data of Node for the common currencies', () => {
    // ICU keeps its own display digits for a few currencies (e.g. IQD, COP), so only ISO-stable ones are compared.
    for (const code of ['USD', 'EUR', 'GBP', 'CHF', 'CAD', 'AUD', 'JPY', 'KRW', 'CLP', 'VND', 'KWD', 'BHD', 'JOD', 'OMR', 'TND', 'SEK']) {
      const digits = new Intl.NumberFormat('en', { style: 'currency', currency: code }).resolvedOptions().maximumFractionDigits;
      expect(digits, code).toBe(exponentOf(code));
    }
  });
});

describe('money', () => {
  it('parses decimal strings exactly', () => {
    expect(parseMajorUnits('12.99', 'USD')).toEqual({ ok: true, minor: 1299 });
    expect(parseMajorUnits('0.1', 'USD')).toEqual({ ok: true, minor: 10 });
    expect(parseMajorUnits('1200', 'JPY')).toEqual({ ok: true, minor: 1200 });
    expect(parseMajorUnits('1.234', 'KWD')).toEqual({ ok: true, minor: 1234 });
    expect(parseMajorUnits('-0.05', 'EUR')).toEqual({ ok: true, minor: -5 });
  });
  it('refuses extra decimals, garbage and huge amounts with a reason', () => {
    expect(parseMajorUnits('12.999', 'USD')).toEqual({ ok: false, message: 'has 3 decimals but USD has 2' });
    expect(parseMajorUnits('1.5', 'JPY')).toEqual({ ok: false, message: 'has 1 decimals but JPY has 0' });
    expect(parseMajorUnits('1e3', 'USD').ok).toBe(false);
    expect(parseMajorUnits('12,99', 'USD').ok).toBe(false);
    expect(parseMajorUnits('99999999999999999', 'USD')).toEqual({ ok: false, message: 'is too large' });
  });
  it('prints minor units exactly', () => {
    expect(toMajorUnits(1299, 'USD')).toBe('12.99');
    expect(toMajorUnits(5, 'USD')).toBe('0.05');
    expect(toMajorUnits(-5, 'USD')).toBe('-0.05');
    expect(toMajorUnits(1200, 'JPY')).toBe('1200');
    expect(toMajorUnits(1234, 'KWD')).toBe('1.234');
    expect(formatMoney({ amountMinor: 1299, currency: 'EUR' })).toBe('EUR 12.99');
    expect(() => toMajorUnits(1.5, 'USD')).toThrow(/not an integer/);
  });
  it('round-trips every amount in every currency (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -(10 ** 12), max: 10 ** 12 }), fc.constantFrom(...currencyCodes), (minor, currency) => {
        expect(parseMajorUnits(toMajorUnits(minor, currency), currency)).toEqual({ ok: true, minor });
      }),
    );
  });
  it('never adds two currencies together', () => {
    expect(
      sumMoney(
        [
          { amountMinor: 100, currency: 'USD' },
          { amountMinor: 250, currency: 'USD' },
        ],
        'USD',
      ),
    ).toEqual({ amountMinor: 350, currency: 'USD' });
    expect(() => sumMoney([{ amountMinor: 100, currency: 'JPY' }], 'USD')).toThrow(/Cannot add JPY to a USD total/);
    expect(
      totalsByCurrency([
        { amountMinor: 100, currency: 'USD' },
        { amountMinor: 500, currency: 'JPY' },
        { amountMinor: 1, currency: 'USD' },
      ]),
    ).toEqual([
      { amountMinor: 500, currency: 'JPY' },
      { amountMinor: 101, currency: 'USD' },
    ]);
  });
});
