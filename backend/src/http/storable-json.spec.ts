import { describe, expect, it } from 'vitest';
import { assertStorableText } from './body-encoding.js';
import { checkJsonBody, maxJsonDepth, parseStorableJson, storableJsonReviver } from './storable-json.js';

describe('storableJsonReviver', () => {
  it('keeps ordinary text, emoji (paired surrogates) and escaped markup', () => {
    const text = '{"title":"Ünïcödé 👩‍👩‍👧 <b>x</b>","n":1}';
    expect(JSON.parse(text, storableJsonReviver)).toEqual(JSON.parse(text));
  });

  it.each([
    ['a NUL in a value', '{"title":"a\\u0000b"}', 'title'],
    ['a lone high surrogate', '{"deep":{"name":"\\ud800"}}', 'name'],
    ['a lone low surrogate', '["x\\udfffy"]', '0'],
    ['a NUL in a key', '{"a\\u0000":1}', 'a?'],
  ])('refuses %s, naming the key', (_what, text, key) => {
    expect(() => JSON.parse(text, storableJsonReviver)).toThrow(`"${key}" contains U+0000 or an unpaired surrogate`);
  });
});

describe('parseStorableJson', () => {
  it('parses ordinary text and escaped, paired surrogates', () => {
    expect(parseStorableJson('{"a":"b","e":"\\ud83d\\ude00"}')).toEqual({ a: 'b', e: '😀' });
  });

  it.each([
    ['an escaped NUL', '{"title":"a\\u0000b"}'],
    ['an upper-case escaped lone surrogate', '{"name":"\\uD800"}'],
  ])('refuses %s like the reviver', (_what, text) => {
    expect(() => parseStorableJson(text)).toThrow('contains U+0000 or an unpaired surrogate');
  });
});

describe('checkJsonBody (the JSON parser’s verify hook)', () => {
  const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
  const refusal = (text: string) => {
    try {
      checkJsonBody(Buffer.from(text));
      return null;
    } catch (error) {
      return error as Error & { type?: string; status?: number };
    }
  };

  it('lets ordinary bodies through, including brackets inside strings and escaped quotes', () => {
    expect(refusal('{"a":"[[[{{{\\"}}}","b":[1,{"c":"\\"[["}]}')).toBeNull();
    expect(refusal(nested(maxJsonDepth))).toBeNull();
    expect(refusal(`{"s":"${'['.repeat(500)}"}`)).toBeNull();
  });

  it('refuses nesting deeper than the limit as a malformed body, before anything parses it', () => {
    expect(refusal(nested(maxJsonDepth + 1))).toMatchObject({
      type: 'entity.parse.failed',
      status: 400,
      message: expect.stringMatching(/nested deeper than 100 levels/),
    });
    expect(refusal('{"a":' + nested(200_000) + '}')).toMatchObject({ status: 400 });
  });

  it('refuses text PostgreSQL cannot store, naming the key; leaves syntax errors to the parser', () => {
    expect(refusal('{"title":"a\\u0000b"}')).toMatchObject({
      type: 'entity.parse.failed',
      status: 400,
      message: expect.stringContaining('"title"'),
    });
    expect(refusal('{"title":"\\u0000"')).toBeNull();
  });
});

describe('assertStorableText', () => {
  it('accepts UTF-8 text', () => expect(() => assertStorableText(Buffer.from('naïve,café\n'), 'The CSV file')).not.toThrow());
  it('refuses bytes that are not UTF-8', () =>
    expect(() => assertStorableText(Buffer.from([0x63, 0x61, 0x66, 0xe9]), 'The CSV file')).toThrow('The CSV file is not valid UTF-8'));
  it('refuses a NUL byte, saying where', () =>
    expect(() => assertStorableText(Buffer.from('ab\u0000c'), 'The CSV file')).toThrow('NUL byte (offset 2)'));
});
