import pg from 'pg';
import { describe, expect, it } from 'vitest';
import './int8-parser.js';

describe('int8 parser', () => {
  const parse = pg.types.getTypeParser(pg.types.builtins.INT8) as (value: string) => number;
  it('turns the driver text into an exact number', () => {
    expect(parse('123456789012')).toBe(123456789012);
    expect(parse('-5')).toBe(-5);
  });
  it('refuses values that a number cannot hold exactly', () => {
    expect(() => parse('9007199254740993')).toThrow(RangeError);
  });
});
