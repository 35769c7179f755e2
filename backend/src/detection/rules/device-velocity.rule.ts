import type { EntityManager } from 'typeorm';
import { z } from 'zod';
import type { DetectionRule, RuleHit } from './detection-rule.js';
import { threshold } from './threshold.js';

const thresholdsSchema = z.strictObject({
  windowHours: threshold(1, 24 * 14),
  baselineDays: threshold(7, 365),
  minOrders: threshold(2, 1000),
  factor: threshold(1.5, 1000, false),
});
type Thresholds = z.infer<typeof thresholdsSchema>;

/** A device ordering far more often than it usually does (its own history is the baseline). */
export const deviceVelocityRule: DetectionRule<Thresholds> = {
  id: 'device-velocity',
  title: 'Device velocity',
  description: 'A device places at least minOrders orders in windowHours and factor × its own usual rate over the previous baselineDays.',
  thresholdsSchema,
  async detect(manager: EntityManager, t: Thresholds, now: Date): Promise<RuleHit[]> {
    const rows: { device_id: string; model: string; recent: number; per_day: number; order_ids: string[] }[] = await manager.query(
      `WITH recent AS (
         SELECT device_id, count(*) AS recent, array_agg(id) AS order_ids
         FROM orders
         WHERE placed_at > $1::timestamptz - make_interval(hours => $2::int) AND placed_at <= $1 AND device_id IS NOT NULL
         GROUP BY device_id HAVING count(*) >= $4::int
       ), baseline AS (
         SELECT o.device_id, count(*)::float8 / $3::int AS per_day
         FROM orders o JOIN recent r USING (device_id)
         WHERE o.placed_at > $1::timestamptz - make_interval(hours => $2::int) - make_interval(days => $3::int)
           AND o.placed_at <= $1::timestamptz - make_interval(hours => $2::int)
         GROUP BY o.device_id
       )
       SELECT r.device_id, d.model, r.recent, coalesce(b.per_day, 0) AS per_day, r.order_ids
       FROM recent r LEFT JOIN baseline b USING (device_id) JOIN device d ON d.id = r.device_id
       WHERE r.recent >= $5::float8 * greatest(coalesce(b.per_day, 0) * $2::int / 24.0, 1)`,
      [now.toISOString(), t.windowHours, t.baselineDays, t.minOrders, t.factor],
    );
    return rows.map((row) => {
      const expected = Math.max(row.per_day * (t.windowHours / 24), 1);
      return {
        rule: 'device-velocity',
        key: `device:${row.device_id}`,
        groupKey: `velocity:${row.model}`,
        orderIds: row.order_ids,
        strength: row.recent / expected,
        summary: `${row.device_id} placed ${row.recent} orders in ${t.windowHours} h; it usually places ${(row.per_day * (t.windowHours / 24)).toFixed(2)}`,
        evidence: {
          deviceId: row.device_id,
          model: row.model,
          recentOrders: row.recent,
          usualOrdersPerWindow: Number((row.per_day * (t.windowHours / 24)).toFixed(3)),
          windowHours: t.windowHours,
        },
      };
    });
  },
};
