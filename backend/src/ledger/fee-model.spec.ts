import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeProcessingFee, parseProcessingFeeModel, processingFee } from './fee-model.js';

describe('processing fee model', () => {
  it('parses percent and fixed parts per currency', () => {
    const parsed = parseProcessingFeeModel('USD:2.9%+30,JPY:3.6%,EUR:1.25%+25');
    expect(parsed).toEqual({
      ok: true,
      model: {
        USD: { ratePpm: 29_000, fixedMinor: 30 },
        JPY: { ratePpm: 36_000, fixedMinor: 0 },
        EUR: { ratePpm: 12_500, fixedMinor: 25 },
      },
    });
    expect(parseProcessingFeeModel('')).toEqual({ ok: true, model: {} });
  });

  it.each(['USD:2.9', 'usd:2.9%', 'XXX:1%', 'USD:2.9%+30,USD:1%', 'USD:2.12345%', 'USD:-1%', 'USD:1%+-3'])('refuses %s', (text) => {
    const parsed = parseProcessingFeeModel(text);
    expect(parsed.ok).toBe(false);
  });

  it('computes 2.9% + 30 of USD 83.96 as 273 cents (243.484 rounded half up + 30)', () => {
    const { model } = parseProcessingFeeModel('USD:2.9%+30') as { ok: true; model: never };
    expect(processingFee(model, 8396, 'USD')).toBe(273);
    expect(processingFee(model, 0, 'USD')).toBe(30);
    expect(processingFee(model, 8396, 'EUR')).toBeNull();
    expect(describeProcessingFee(model, 'USD')).toBe('2.9% + 30');
  });

  it('is exact at the largest amounts, where a float would round', () => {
    const { model } = parseProcessingFeeModel('USD:3.3333%+0') as { ok: true; model: never };
    // 10^15 × 33333 / 10^6 = 33333000000000 exactly.
    expect(processingFee(model, 10 ** 15, 'USD')).toBe(33_333_000_000_000);
  });

  it('rounds half up and never goes below the fixed part or above total × rate + 1', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 ** 12 }), fc.integer({ min: 0, max: 999_999 }), fc.nat(1000), (total, ppm, fixed) => {
        const fee = processingFee({ USD: { ratePpm: ppm, fixedMinor: fixed } }, total, 'USD')!;
        const exact = (BigInt(total) * BigInt(ppm)) / 1_000_000n;
        expect(Number.isSafeInteger(fee)).toBe(true);
        expect(BigInt(fee - fixed) >= exact && BigInt(fee - fixed) <= exact + 1n).toBe(true);
      }),
    );
  });
});
