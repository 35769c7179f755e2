import { describe, expect, it } from 'vitest';
import { DecisionCache } from './decision-cache.js';

describe('DecisionCache', () => {
  const t0 = 1_000_000;

  it('answers fresh within the TTL, stale after it, and not at all past the answer’s own validity', () => {
    const cache = new DecisionCache<string>(10, 1_000);
    cache.set('dev', 'deny', cache.currentGeneration, t0 + 5_000, t0);
    expect(cache.get('dev', t0 + 999)).toEqual({ value: 'deny', stale: false });
    expect(cache.get('dev', t0 + 1_000)).toEqual({ value: 'deny', stale: true });
    expect(cache.get('dev', t0 + 4_999)).toEqual({ value: 'deny', stale: true });
    expect(cache.get('dev', t0 + 5_000)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('is never fresh past validity, even with a long TTL', () => {
    const cache = new DecisionCache<string>(10, 60_000);
    cache.set('dev', 'deny', cache.currentGeneration, t0 + 100, t0);
    expect(cache.get('dev', t0 + 99)?.stale).toBe(false);
    expect(cache.get('dev', t0 + 100)).toBeUndefined();
  });

  it('drops an answer computed from a read that began before a clear', () => {
    const cache = new DecisionCache<string>(10, 1_000);
    const before = cache.currentGeneration;
    cache.clear();
    cache.set('dev', 'allow', before, Infinity, t0);
    expect(cache.get('dev', t0)).toBeUndefined();
    cache.set('dev', 'deny', cache.currentGeneration, Infinity, t0);
    expect(cache.get('dev', t0)?.value).toBe('deny');
  });

  it('does not store an answer that is already invalid', () => {
    const cache = new DecisionCache<string>(10, 1_000);
    cache.set('dev', 'deny', cache.currentGeneration, t0, t0);
    expect(cache.size).toBe(0);
  });

  it('evicts the oldest entry when full, and a re-set entry counts as newest', () => {
    const cache = new DecisionCache<string>(2, 1_000);
    const g = cache.currentGeneration;
    cache.set('a', '1', g, Infinity, t0);
    cache.set('b', '2', g, Infinity, t0);
    cache.set('a', '1b', g, Infinity, t0);
    cache.set('c', '3', g, Infinity, t0);
    expect(cache.get('b', t0)).toBeUndefined();
    expect(cache.get('a', t0)?.value).toBe('1b');
    expect(cache.get('c', t0)?.value).toBe('3');
  });
});
