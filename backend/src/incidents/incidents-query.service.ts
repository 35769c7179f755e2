import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { escapeLike, SqlFilter } from '../database/sql-filter.js';
import type { ListResult } from '../http/list-query.js';
import { buildOrderFilter } from '../orders/orders-query.service.js';
import type { OrderFilter } from '../orders/orders.schemas.js';
import {
  allowedTransitions,
  incidentReference,
  membershipStatuses,
  parseIncidentReference,
  severityRank,
  statusRank,
  type IncidentStatus,
  type MembershipStatus,
} from './incident-lifecycle.js';
import { incidentMetrics } from './incident-metrics.js';
import { renderIncidentSummary, type SummaryInput } from './incident-summary.js';
import { assertIncidentExists, notFound } from './incident-store.js';
import type { IncidentListQuery, IncidentOrdersQuery, TimelineQuery } from './incidents.schemas.js';
import { isUuid } from '../http/is-uuid.js';

const incidentColumns = `
  i.id, i.number, i.title, i.severity, i.status, i.commander_id AS "commanderId", cu.email AS "commanderEmail",
  i.proposal_id AS "proposalId", i.started_at AS "startedAt", i.detected_at AS "detectedAt", i.declared_at AS "declaredAt",
  i.triage_at AS "triageAt", i.mitigated_at AS "mitigatedAt", i.resolved_at AS "resolvedAt", i.closed_at AS "closedAt",
  i.created_by AS "createdBy", cb.email AS "createdByEmail", i.created_at AS "createdAt", i.updated_at AS "updatedAt"`;
const incidentJoins = `LEFT JOIN app_user cu ON cu.id = i.commander_id LEFT JOIN app_user cb ON cb.id = i.created_by`;

const listSort = { declaredAt: 'i.declared_at', severity: severityRank, status: statusRank, number: 'i.number' } as const;
const memberSort = { placedAt: 'o.placed_at', changedAt: 'io.changed_at', totalMinor: 'o.total_minor', status: 'io.status' } as const;

/** Orders and value of one membership status in one currency. Never summed across currencies. */
export interface CurrencyValue {
  currency: string;
  orders: number;
  totalMinor: number;
}

/** An incident's confirmed and suspected value, per currency. */
type IncidentValue = { confirmed: CurrencyValue[]; suspected: CurrencyValue[] };

/** Read side of incidents: the list, one incident with its figures, its orders and its timeline. */
@Injectable()
export class IncidentsQueryService {
  constructor(private readonly dataSource: DataSource) {}

  async list(query: IncidentListQuery): Promise<ListResult<Record<string, unknown>>> {
    const filter = new SqlFilter();
    if (query.status) filter.where((p) => `i.status = ANY(${p(query.status)}::text[])`);
    if (query.severity) filter.where((p) => `i.severity = ANY(${p(query.severity)}::text[])`);
    if (query.commanderId) filter.where((p) => `i.commander_id = ${p(query.commanderId)}`);
    if (query.id) filter.where((p) => `i.id = ANY(${p(query.id)}::uuid[])`);
    if (query.q) {
      const title = `i.title ILIKE ${filter.bind(`%${escapeLike(query.q)}%`)}`;
      const number = parseIncidentReference(query.q);
      filter.where((p) => (number === null ? title : `(i.number = ${p(number)} OR ${title})`));
    }
    const countParams = [...filter.params];
    const limit = filter.bind(query._perPage);
    const offset = filter.bind((query._page - 1) * query._perPage);
    const [rows, [{ total }]] = await Promise.all([
      this.dataSource.query(
        `SELECT ${incidentColumns}, m.suspected, m.confirmed, m.excluded
         FROM incident i ${incidentJoins}
         LEFT JOIN LATERAL (
           SELECT count(*) FILTER (WHERE io.status = 'suspected') AS suspected, count(*) FILTER (WHERE io.status = 'confirmed') AS confirmed,
                  count(*) FILTER (WHERE io.status = 'excluded') AS excluded
           FROM incident_order io WHERE io.incident_id = i.id) m ON true
         ${filter.sql}
         ORDER BY ${listSort[query._sort]} ${query._order}, i.number ${query._order} LIMIT ${limit} OFFSET ${offset}`,
        filter.params,
      ),
      this.dataSource.query(`SELECT count(*) AS total FROM incident i ${filter.sql}`, countParams),
    ]);
    // One query for the whole page's value, not one per row.
    const values = await this.values(
      this.dataSource.manager,
      rows.map((row: { id: string }) => row.id),
    );
    const data = rows.map(({ suspected, confirmed, excluded, ...incident }: Record<string, unknown>) => ({
      ...incident,
      reference: incidentReference(incident.number as number),
      members: { suspected, confirmed, excluded },
      value: values.get(incident.id as string),
    }));
    return { data, total };
  }

  /** One incident with everything its page shows: figures per status and currency, devices, metrics. */
  async get(id: string, manager: EntityManager = this.dataSource.manager) {
    if (!isUuid(id)) throw notFound(id);
    const [incident] = await manager.query(
      `SELECT ${incidentColumns}, i.summary, i.proposal_evidence AS "proposalEvidence" FROM incident i ${incidentJoins} WHERE i.id = $1`,
      [id],
    );
    if (!incident) throw notFound(id);
    const [members, value, devices] = await Promise.all([
      this.memberCounts(manager, id),
      this.value(manager, id),
      this.devices(manager, id),
    ]);
    return {
      ...incident,
      reference: incidentReference(incident.number),
      allowedTransitions: allowedTransitions(incident.status as IncidentStatus),
      members,
      value,
      devices: devices.count,
      devicesByModel: devices.byModel,
      metrics: incidentMetrics(incident),
    };
  }

  async orders(id: string, query: IncidentOrdersQuery): Promise<ListResult<Record<string, unknown>>> {
    await assertIncidentExists(this.dataSource.manager, id);
    const filter = new SqlFilter().where((p) => `io.incident_id = ${p(id)}`);
    if (query.status) filter.where((p) => `io.status = ANY(${p(query.status)}::text[])`);
    const countParams = [...filter.params];
    const limit = filter.bind(query._perPage);
    const offset = filter.bind((query._page - 1) * query._perPage);
    const [data, [{ total }]] = await Promise.all([
      this.dataSource.query(
        `SELECT io.order_id AS id, io.status, io.reason, io.changed_at AS "changedAt", io.changed_by AS "changedBy", u.email AS "changedByEmail",
                o.external_id AS "externalId", o.placed_at AS "placedAt", o.currency, o.total_minor AS "totalMinor",
                o.fulfilment_state AS "fulfilmentState", o.device_id AS "deviceId", o.device_model AS "deviceModel",
                o.firmware_version AS "firmwareVersion"
         FROM incident_order io JOIN orders o ON o.id = io.order_id LEFT JOIN app_user u ON u.id = io.changed_by
         ${filter.sql}
         ORDER BY ${memberSort[query._sort]} ${query._order}, io.order_id ${query._order} LIMIT ${limit} OFFSET ${offset}`,
        filter.params,
      ),
      this.dataSource.query(`SELECT count(*) AS total FROM incident_order io ${filter.sql}`, countParams),
    ]);
    return { data, total };
  }

  async timeline(id: string, query: TimelineQuery): Promise<ListResult<Record<string, unknown>>> {
    await assertIncidentExists(this.dataSource.manager, id);
    const filter = new SqlFilter().where((p) => `e.incident_id = ${p(id)}`);
    if (query.kind) filter.where((p) => `e.kind = ANY(${p(query.kind)}::text[])`);
    const countParams = [...filter.params];
    const limit = filter.bind(query._perPage);
    const offset = filter.bind((query._page - 1) * query._perPage);
    const [data, [{ total }]] = await Promise.all([
      this.dataSource.query(
        `SELECT e.id::text AS id, e.at, e.kind, e.actor_id AS "actorId", e.actor_email AS "actorEmail", e.message, e.data
         FROM incident_event e ${filter.sql} ORDER BY e.at ${query._order}, e.id ${query._order} LIMIT ${limit} OFFSET ${offset}`,
        filter.params,
      ),
      this.dataSource.query(`SELECT count(*) AS total FROM incident_event e ${filter.sql}`, countParams),
    ]);
    return { data, total };
  }

  /** The post-incident summary (Markdown) and the file name to save it under. */
  async summaryMarkdown(id: string): Promise<{ fileName: string; markdown: string }> {
    const incident = await this.get(id);
    // Oldest first, as a story reads; a very long timeline is cut and says so.
    const timeline = await this.timeline(id, { _page: 1, _perPage: 1000, _sort: 'at', _order: 'ASC' });
    const markdown = renderIncidentSummary({
      ...incident,
      timeline: timeline.data as SummaryInput['timeline'],
      timelineTotal: timeline.total,
    });
    return { fileName: `${incident.reference}-summary.md`, markdown };
  }

  /**
   * The exact count a person sees before acting on "all orders matching this
   * filter", and how many of them are already here or in another open incident.
   */
  async countMatching(id: string, orderFilter: OrderFilter) {
    await assertIncidentExists(this.dataSource.manager, id);
    const filter = buildOrderFilter(orderFilter);
    const me = filter.bind(id);
    const [row] = await this.dataSource.query(
      `SELECT count(*) AS count,
              count(*) FILTER (WHERE EXISTS (SELECT 1 FROM incident_order io WHERE io.order_id = o.id AND io.incident_id = ${me})) AS "inThisIncident",
              count(*) FILTER (WHERE EXISTS (SELECT 1 FROM incident_order io WHERE io.order_id = o.id AND io.open
                                               AND io.status <> 'excluded' AND io.incident_id <> ${me})) AS "inOtherOpenIncidents"
       FROM orders o ${filter.sql}`,
      filter.params,
    );
    return row as { count: number; inThisIncident: number; inOtherOpenIncidents: number };
  }

  /** Orders per membership status, every status present (zero when none). */
  async memberCounts(manager: EntityManager, id: string): Promise<Record<MembershipStatus, number>> {
    const rows: { status: MembershipStatus; n: number }[] = await manager.query(
      `SELECT status, count(*) AS n FROM incident_order WHERE incident_id = $1 GROUP BY status`,
      [id],
    );
    const counts = Object.fromEntries(membershipStatuses.map((s) => [s, 0])) as Record<MembershipStatus, number>;
    for (const row of rows) counts[row.status] = row.n;
    return counts;
  }

  private async value(manager: EntityManager, id: string): Promise<IncidentValue> {
    return (await this.values(manager, [id])).get(id)!;
  }

  /** Confirmed and suspected value per currency of each incident. */
  private async values(manager: EntityManager, ids: string[]): Promise<Map<string, IncidentValue>> {
    const rows: (CurrencyValue & { incidentId: string; status: 'confirmed' | 'suspected' })[] = await manager.query(
      `SELECT io.incident_id AS "incidentId", io.status, o.currency, count(*) AS orders, sum(o.total_minor)::bigint AS "totalMinor"
       FROM incident_order io JOIN orders o ON o.id = io.order_id
       WHERE io.incident_id = ANY($1::uuid[]) AND io.status IN ('confirmed', 'suspected')
       GROUP BY io.incident_id, io.status, o.currency ORDER BY o.currency`,
      [ids],
    );
    const values = new Map<string, IncidentValue>(ids.map((id) => [id, { confirmed: [], suspected: [] }]));
    for (const { incidentId, status, ...value } of rows) values.get(incidentId)![status].push(value);
    return values;
  }

  /** Devices behind the incident's orders (excluded ones left out), and the models and firmware involved. */
  private async devices(manager: EntityManager, id: string) {
    const byModel: { model: string | null; firmware: string | null; devices: number; orders: number }[] = await manager.query(
      `SELECT o.device_model AS model, o.firmware_version AS firmware, count(DISTINCT o.device_id) AS devices, count(*) AS orders
       FROM incident_order io JOIN orders o ON o.id = io.order_id
       WHERE io.incident_id = $1 AND io.status <> 'excluded'
       GROUP BY o.device_model, o.firmware_version ORDER BY count(*) DESC, o.device_model, o.firmware_version`,
      [id],
    );
    const [{ count }] = await manager.query(
      `SELECT count(DISTINCT o.device_id) AS count FROM incident_order io JOIN orders o ON o.id = io.order_id
       WHERE io.incident_id = $1 AND io.status <> 'excluded'`,
      [id],
    );
    return { count: count as number, byModel };
  }
}
