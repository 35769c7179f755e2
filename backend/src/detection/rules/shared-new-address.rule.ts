import type { EntityManager } from 'typeorm';
import { z } from 'zod';
import type { DetectionRule, RuleHit } from './detection-rule.js';
import { threshold } from './threshold.js';

const thresholdsSchema = z.strictObject({
  windowHours: threshold(1, 24 * 14),
  minCustomers: threshold(2, 10000),
});
type Thresholds = z.infer<typeof thresholdsSchema>;

/** A ship-to address never used before that several unrelated customers suddenly ship to: a drop address. */
export const sharedNewAddressRule: DetectionRule<Thresholds> = {
  id: 'shared-new-address',
  title: 'Shared new address',
  description: 'An address first seen in the last windowHours receives orders from at least minCustomers different customers.',
  thresholdsSchema,
  async detect(manager: EntityManager, t: Thresholds, now: Date): Promise<RuleHit[]> {
    const rows: {
      hash: string;
      customers: number;
      devices: number;
      order_ids: string[];
      sample: { line1: string; city: string; country: string };
    }[] = await manager.query(
      `WITH recent AS (
         SELECT ship_to_hash AS hash, count(DISTINCT customer_id) AS customers, count(DISTINCT device_id) AS devices,
                array_agg(id) AS order_ids, (array_agg(ship_to))[1] AS sample
         FROM orders
         WHERE placed_at > $1::timestamptz - make_interval(hours => $2::int) AND placed_at <= $1
         GROUP BY ship_to_hash HAVING count(DISTINCT customer_id) >= $3::int
       )
       SELECT r.* FROM recent r
       WHERE NOT EXISTS (
         SELECT 1 FROM orders o WHERE o.ship_to_hash = r.hash AND o.placed_at <= $1::timestamptz - make_interval(hours => $2::int)
       )`,
      [now.toISOString(), t.windowHours, t.minCustomers],
    );
    return rows.map((row) => ({
      rule: 'shared-new-address',
      key: `address:${row.hash}`,
      orderIds: row.order_ids,
      strength: row.customers / t.minCustomers,
      summary: `${row.customers} customers (${row.devices} devices) ship to a new address: ${row.sample.line1}, ${row.sample.city} ${row.sample.country}`,
      evidence: { shipToHash: row.hash, address: row.sample, customers: row.customers, devices: row.devices, windowHours: t.windowHours },
    }));
  },
};
