import { describe, expect, it } from 'vitest';
import { bigintTransformer } from './bigint.transformer.js';

describe('bigintTransformer', () => {
  it('turns the driver string into an exact number', () => {
    expect(bigintTransformer.from('123456789012')).toBe(123456789012);
    expect(bigintTransformer.from(null)).toBeNull();
  });
  it('refuses values that a number cannot hold exactly', () => {
    expect(() => bigintTransformer.from('9007199254740993')).toThrow(RangeError);
  });
});
