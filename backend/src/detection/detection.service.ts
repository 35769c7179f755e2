import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { groupHits, scoreOf, severityOf, titleOf, type HitGroup } from './group-hits.js';
import type { RuleHit } from './rules/detection-rule.js';
import { ruleById } from './rules/index.js';

export interface PassReport {
  runId: string | null;
  skipped?: string;
  hits: number;
  proposalsCreated: number;
  proposalsUpdated: number;
  durationMs: number;
}

/** Arbitrary constant: the advisory lock that keeps two passes (schedule and on demand) from overlapping. */
const passLock = 4_271_907;

/**
 * One detection pass: every enabled rule as set-based SQL, hits grouped into
 * candidate incidents, each written as a proposal (a new one, or a refresh of
 * the open proposal of the same pattern). Orders already in an open incident
 * are left out. A person declares the incident; detection never does.
 */
@Injectable()
export class DetectionService {
  constructor(private readonly dataSource: DataSource) {}

  async runPass(trigger: 'schedule' | 'manual', now = new Date()): Promise<PassReport> {
    const started = performance.now();
    return this.dataSource.transaction(async (manager) => {
      const [{ locked }] = await manager.query(`SELECT pg_try_advisory_xact_lock($1) AS locked`, [passLock]);
      if (!locked)
        return {
          runId: null,
          skipped: 'another detection pass is running',
          hits: 0,
          proposalsCreated: 0,
          proposalsUpdated: 0,
          durationMs: 0,
        };

      // Rule queries sort and hash a baseline window of orders; the default 4 MB
      // spills them to disk. Local to this transaction.
      await manager.query(`SET LOCAL work_mem = '64MB'`);
      const settings: { id: string; thresholds: Record<string, number> }[] = await manager.query(
        `SELECT id, thresholds FROM detection_rule WHERE enabled ORDER BY id`,
      );
      const hits: RuleHit[] = [];
      for (const setting of settings) {
        const rule = ruleById(setting.id);
        if (rule) hits.push(...(await rule.detect(manager, rule.thresholdsSchema.parse(setting.thresholds), now)));
      }
      const groups = groupHits(await this.withoutIncidentOrders(manager, hits)).filter((group) => group.orderIds.length > 0);
      let created = 0;
      let updated = 0;
      for (const group of groups) {
        const outcome = await this.upsertProposal(manager, group);
        if (outcome === 'created') created++;
        if (outcome === 'updated') updated++;
      }
      const durationMs = Math.round(performance.now() - started);
      const [{ id }] = await manager.query(
        `INSERT INTO detection_run (trigger, finished_at, hits, proposals_created, proposals_updated, duration_ms)
         VALUES ($1, clock_timestamp(), $2, $3, $4, $5) RETURNING id`,
        [trigger, hits.length, created, updated, durationMs],
      );
      return { runId: id, hits: hits.length, proposalsCreated: created, proposalsUpdated: updated, durationMs };
    });
  }

  /** Orders already suspected or confirmed in an open incident are that incident's business. */
  private async withoutIncidentOrders(manager: EntityManager, hits: RuleHit[]): Promise<RuleHit[]> {
    const all = [...new Set(hits.flatMap((hit) => hit.orderIds))];
    if (all.length === 0) return hits;
    const taken: { order_id: string }[] = await manager.query(
      `SELECT order_id FROM incident_order WHERE open AND status <> 'excluded' AND order_id = ANY($1::uuid[])`,
      [all],
    );
    if (taken.length === 0) return hits;
    const takenIds = new Set(taken.map((row) => row.order_id));
    return hits
      .map((hit) => ({ ...hit, orderIds: hit.orderIds.filter((id) => !takenIds.has(id)) }))
      .filter((hit) => hit.orderIds.length > 0);
  }

  private async upsertProposal(manager: EntityManager, group: HitGroup): Promise<'created' | 'updated' | 'suppressed'> {
    // A pattern a person dismissed in the last week is not proposed again.
    const [{ dismissed }] = await manager.query(
      `SELECT EXISTS (SELECT 1 FROM detection_proposal WHERE fingerprint = $1 AND status = 'dismissed' AND updated_at > now() - interval '7 days') AS dismissed`,
      [group.fingerprint],
    );
    if (dismissed) return 'suppressed';
    const evidence = group.hits.map((hit) => ({
      rule: hit.rule,
      key: hit.key,
      summary: hit.summary,
      strength: Number(hit.strength.toFixed(2)),
      ...hit.evidence,
    }));
    const rows: { id: string; inserted: boolean }[] = await manager.query(
      `INSERT INTO detection_proposal (fingerprint, title, rules, score, severity, order_ids, order_count, value_by_currency, evidence, first_order_at, last_order_at)
       VALUES ($1, $3, $4, $5, $6, $2::uuid[], 0, '[]', $7, now(), now())
       ON CONFLICT (fingerprint) WHERE status = 'open' DO UPDATE SET
         title = EXCLUDED.title, rules = EXCLUDED.rules, score = EXCLUDED.score, severity = EXCLUDED.severity, evidence = EXCLUDED.evidence,
         order_ids = ARRAY(SELECT DISTINCT unnest(detection_proposal.order_ids || EXCLUDED.order_ids)), updated_at = now()
       RETURNING id, (xmax = 0) AS inserted`,
      [
        group.fingerprint,
        group.orderIds,
        titleOf(group),
        [...new Set(group.hits.map((hit) => hit.rule))].sort(),
        scoreOf(group),
        severityOf(group),
        JSON.stringify(evidence),
      ],
    );
    // Figures always from the proposal's whole order set, per currency (never summed across currencies).
    await manager.query(
      `WITH members AS (
         -- unnest + join walks the primary key; "id = ANY(<array from a subquery>)" would compare every order with every id.
         SELECT o.currency, o.total_minor, o.placed_at, o.device_id
         FROM unnest((SELECT order_ids FROM detection_proposal WHERE id = $1)) AS member(id) JOIN orders o ON o.id = member.id
       )
       UPDATE detection_proposal p SET
         order_count = cardinality(p.order_ids), device_count = f.devices,
         first_order_at = f.first_at, last_order_at = f.last_at, value_by_currency = f.value
       FROM (
         SELECT min(first_at) AS first_at, max(last_at) AS last_at, (SELECT count(DISTINCT device_id) FROM members) AS devices,
                jsonb_agg(jsonb_build_object('currency', currency, 'orders', orders, 'totalMinor', total) ORDER BY currency) AS value
         FROM (SELECT currency, count(*) AS orders, sum(total_minor)::bigint AS total, min(placed_at) AS first_at, max(placed_at) AS last_at
               FROM members GROUP BY currency) per_currency
       ) f
       WHERE p.id = $1`,
      [rows[0]!.id],
    );
    return rows[0]?.inserted ? 'created' : 'updated';
  }
}
