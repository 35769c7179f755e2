import type { EntityManager } from 'typeorm';
import { z } from 'zod';
import { formatMoney } from '../../money/money.js';
import type { DetectionRule, RuleHit } from './detection-rule.js';
import { threshold } from './threshold.js';

const thresholdsSchema = z.strictObject({
  windowHours: threshold(1, 24 * 14),
  baselineDays: threshold(7, 365),
  factor: threshold(1.5, 1000, false),
  minBaselineOrders: threshold(5, 100000),
});
type Thresholds = z.infer<typeof thresholdsSchema>;

/**
 * Orders far larger than what devices of the same model usually order, per
 * currency (amounts of different currencies are never compared). The baseline
 * is the model's 95th-percentile order total, so ordinary big baskets pass.
 */
export const valueOutlierRule: DetectionRule<Thresholds> = {
  id: 'value-outlier',
  title: 'Value outlier',
  description: 'An order totals at least factor × the 95th percentile of its device model’s orders in the same currency over baselineDays.',
  thresholdsSchema,
  async detect(manager: EntityManager, t: Thresholds, now: Date): Promise<RuleHit[]> {
    const rows: { id: string; model: string; currency: string; total: number; p95: number }[] = await manager.query(
      `WITH baseline AS (
         SELECT device_model AS model, currency, percentile_disc(0.95) WITHIN GROUP (ORDER BY total_minor) AS p95
         FROM orders
         WHERE placed_at > $1::timestamptz - make_interval(hours => $2::int) - make_interval(days => $3::int)
           AND placed_at <= $1::timestamptz - make_interval(hours => $2::int) AND device_model IS NOT NULL
         GROUP BY 1, 2 HAVING count(*) >= $5::int
       )
       SELECT o.id, o.device_model AS model, o.currency, o.total_minor AS total, b.p95
       FROM orders o JOIN baseline b ON b.model = o.device_model AND b.currency = o.currency
       WHERE o.placed_at > $1::timestamptz - make_interval(hours => $2::int) AND o.placed_at <= $1 AND o.total_minor >= $4::float8 * b.p95`,
      [now.toISOString(), t.windowHours, t.baselineDays, t.factor, t.minBaselineOrders],
    );
    return rows.map((row) => ({
      rule: 'value-outlier',
      key: `order:${row.id}`,
      groupKey: `value:${row.model}:${row.currency}`,
      orderIds: [row.id],
      strength: row.total / Math.max(row.p95, 1),
      summary: `Order worth ${formatMoney({ amountMinor: row.total, currency: row.currency })}, ${(row.total / Math.max(row.p95, 1)).toFixed(1)} × the usual high of ${formatMoney({ amountMinor: row.p95, currency: row.currency })} for ${row.model}`,
      evidence: { orderId: row.id, model: row.model, currency: row.currency, totalMinor: row.total, usualHighMinor: row.p95 },
    }));
  },
};
