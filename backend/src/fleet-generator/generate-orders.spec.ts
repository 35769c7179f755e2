import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { orderInputSchema } from '../ingestion/order-input.schema.js';
import { compromisedFirmware, generateOrders } from './generate-orders.js';

const now = new Date('2026-11-20T00:00:00Z');
const digest = (seed: number, orders: number) => {
  const hash = createHash('sha256');
  for (const generated of generateOrders({ seed, orders, now })) hash.update(JSON.stringify(generated));
  return hash.digest('hex');
};

describe('fleet generator', () => {
  it('is deterministic: the same seed gives the same orders, another seed others', () => {
    expect(digest(1, 3000)).toBe(digest(1, 3000));
    expect(digest(1, 3000)).not.toBe(digest(2, 3000));
  });

  it('produces the asked number of valid orders with labelled attacks in the last days', () => {
    const all = [...generateOrders({ seed: 5, orders: 5000, now })];
    expect(all).toHaveLength(5000);
    for (const { order } of all.slice(0, 500)) expect(orderInputSchema.safeParse(order).success).toBe(true);
    const attacks = all.filter((g) => g.scenario !== 'legit');
    expect(attacks.length).toBe(150);
    for (const { order } of attacks) expect(now.getTime() - Date.parse(order.placedAt)).toBeLessThanOrEqual(3 * 86_400_000);
    const firmware = all.filter((g) => g.scenario === 'firmware-compromise');
    expect(firmware.length).toBeGreaterThan(0);
    for (const { order } of firmware)
      expect(order.device).toMatchObject({ model: compromisedFirmware.model, firmwareVersion: compromisedFirmware.firmwareVersion });
    // The compromised fleet ships to a handful of drop addresses, not to its owners.
    expect(new Set(firmware.map((g) => `${g.order.shipTo.line1}|${g.order.shipTo.city}`)).size).toBeLessThanOrEqual(9);
    expect(new Set(all.map((g) => g.order.externalId)).size).toBe(all.length);
  });
});
