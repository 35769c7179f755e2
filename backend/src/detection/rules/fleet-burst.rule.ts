import type { EntityManager } from 'typeorm';
import { z } from 'zod';
import type { DetectionRule, RuleHit } from './detection-rule.js';
import { threshold } from './threshold.js';

const thresholdsSchema = z.strictObject({
  windowHours: threshold(1, 24 * 14),
  baselineDays: threshold(7, 365),
  minDevices: threshold(2, 100000),
  factor: threshold(1.5, 1000, false),
});
type Thresholds = z.infer<typeof thresholdsSchema>;

/**
 * Many devices of one model and firmware suddenly ordering the same SKU — the
 * signature of a compromised firmware — against that group's own history.
 */
export const fleetBurstRule: DetectionRule<Thresholds> = {
  id: 'fleet-burst',
  title: 'Fleet burst',
  description:
    'At least minDevices devices of one model and firmware order the same SKU in windowHours, factor × more than that group usually does over baselineDays.',
  thresholdsSchema,
  async detect(manager: EntityManager, t: Thresholds, now: Date): Promise<RuleHit[]> {
    const rows: { model: string; firmware: string; sku: string; devices: number; usual: number; order_ids: string[] }[] =
      await manager.query(
        `WITH recent AS (
         SELECT o.device_model AS model, o.firmware_version AS firmware, s.sku,
                count(DISTINCT o.device_id) AS devices, array_agg(DISTINCT o.id) AS order_ids
         FROM orders o CROSS JOIN LATERAL unnest(o.skus) AS s(sku)
         WHERE o.placed_at > $1::timestamptz - make_interval(hours => $2::int) AND o.placed_at <= $1 AND o.device_id IS NOT NULL
         GROUP BY 1, 2, 3 HAVING count(DISTINCT o.device_id) >= $4::int
       ), baseline AS (
         -- Orders per (model, firmware, SKU) per window-length period over the baseline.
         -- Aggregated first and joined after: joining each baseline order to the
         -- candidates would multiply rows by the candidates' SKU count.
         SELECT o.device_model AS model, o.firmware_version AS firmware, s.sku, count(*)::float8 * $2::int / ($3::int * 24.0) AS usual
         FROM orders o CROSS JOIN LATERAL unnest(o.skus) AS s(sku)
         WHERE o.placed_at > $1::timestamptz - make_interval(hours => $2::int) - make_interval(days => $3::int)
           AND o.placed_at <= $1::timestamptz - make_interval(hours => $2::int)
         GROUP BY 1, 2, 3
       )
       SELECT r.model, r.firmware, r.sku, r.devices, coalesce(b.usual, 0) AS usual, r.order_ids
       FROM recent r LEFT JOIN baseline b USING (model, firmware, sku)
       WHERE r.devices >= $5::float8 * greatest(coalesce(b.usual, 0), 1)`,
        [now.toISOString(), t.windowHours, t.baselineDays, t.minDevices, t.factor],
      );
    return rows.map((row) => ({
      rule: 'fleet-burst',
      key: `fleet:${row.model}:${row.firmware}:${row.sku}`,
      groupKey: `fleet:${row.model}:${row.firmware}`,
      orderIds: row.order_ids,
      strength: row.devices / Math.max(row.usual, 1),
      summary: `${row.devices} ${row.model} devices on firmware ${row.firmware} ordered ${row.sku} in ${t.windowHours} h; usually ${row.usual.toFixed(1)} such orders`,
      evidence: {
        model: row.model,
        firmwareVersion: row.firmware,
        sku: row.sku,
        devices: row.devices,
        usualOrdersPerWindow: Number(row.usual.toFixed(3)),
        windowHours: t.windowHours,
      },
    }));
  },
};
