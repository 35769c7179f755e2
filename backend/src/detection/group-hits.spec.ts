import { describe, expect, it } from 'vitest';
import type { RuleHit } from './rules/detection-rule.js';
import { groupHits, scoreOf, severityOf } from './group-hits.js';

const hit = (rule: string, key: string, orderIds: string[], groupKey?: string): RuleHit => ({
  rule,
  key,
  groupKey,
  orderIds,
  strength: 5,
  summary: key,
  evidence: {},
});

describe('groupHits', () => {
  it('joins hits that share an order, whatever the rule', () => {
    const groups = groupHits([
      hit('fleet-burst', 'fleet:A', ['o1', 'o2'], 'fleet:A'),
      hit('shared-new-address', 'address:x', ['o2', 'o3']),
      hit('value-outlier', 'order:o9', ['o9'], 'value:B'),
    ]);
    expect(groups.map((g) => g.orderIds)).toEqual([['o1', 'o2', 'o3'], ['o9']]);
    expect(groups[0]!.fingerprint).toBe('fleet:A');
  });

  it('gathers lone hits of one pattern (one model spiking) into one group', () => {
    const groups = groupHits([
      hit('device-velocity', 'device:1', ['a'], 'velocity:Car'),
      hit('device-velocity', 'device:2', ['b'], 'velocity:Car'),
      hit('device-velocity', 'device:3', ['c'], 'velocity:Fridge'),
    ]);
    expect(groups.map((g) => [g.fingerprint, g.orderIds])).toEqual([
      ['velocity:Car', ['a', 'b']],
      ['velocity:Fridge', ['c']],
    ]);
  });

  it('never chains two attacks together through a shared group key', () => {
    // value hits with the same group key sit inside two different order-linked groups
    const groups = groupHits([
      hit('fleet-burst', 'fleet:A', ['f1', 'f2'], 'fleet:A'),
      hit('value-outlier', 'order:f1', ['f1'], 'value:Printer'),
      hit('device-velocity', 'device:9', ['v1', 'v2'], 'velocity:Printer'),
      hit('value-outlier', 'order:v1', ['v1'], 'value:Printer'),
    ]);
    expect(groups).toHaveLength(2);
  });

  it('scores and grades by independent rules and size', () => {
    const [single] = groupHits([hit('value-outlier', 'order:1', ['1'])]);
    const [multi] = groupHits([
      hit('fleet-burst', 'f', ['1', '2']),
      hit('shared-new-address', 'a', ['2']),
      hit('value-outlier', 'v', ['1']),
    ]);
    expect(scoreOf(multi!)).toBeGreaterThan(scoreOf(single!));
    expect(severityOf(single!)).toBe('low');
    expect(severityOf(multi!)).toBe('critical');
  });
});
