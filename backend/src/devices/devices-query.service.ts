import { Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { escapeLike, SqlFilter } from '../database/sql-filter.js';
import type { ListResult } from '../http/list-query.js';
import { underActiveQuarantine } from '../quarantine/quarantine-match.sql.js';
import type { DeviceListQuery } from './devices.schemas.js';

// The stored state lags behind quarantines that expire on their own and devices that join a
// quarantined model or firmware later; the state shown and filtered on is computed from the quarantines.
const effectiveState = `CASE WHEN ${underActiveQuarantine({ deviceId: 'd.id', model: 'd.model', firmware: 'd.firmware_version' })}
  THEN 'quarantined' WHEN d.state = 'quarantined' THEN 'active' ELSE d.state END`;

const sortColumns = {
  id: 'd.id',
  model: 'd.model',
  firmwareVersion: 'd.firmware_version',
  state: effectiveState,
  createdAt: 'd.created_at',
} as const;

// Order figures per device come from the orders index on (device_id, placed_at), one page at a time.
const deviceColumns = `
  d.id, d.model, d.firmware_version AS "firmwareVersion", d.customer_id AS "customerId", c.email AS "customerEmail",
  ${effectiveState} AS state, d.created_at AS "createdAt", stats.order_count AS "orderCount", stats.last_order_at AS "lastOrderAt"`;
const deviceJoins = `
  LEFT JOIN customer c ON c.id = d.customer_id
  LEFT JOIN LATERAL (SELECT count(*) AS order_count, max(placed_at) AS last_order_at FROM orders o WHERE o.device_id = d.id) stats ON true`;

@Injectable()
export class DevicesQueryService {
  constructor(private readonly dataSource: DataSource) {}

  async list(query: DeviceListQuery): Promise<ListResult<Record<string, unknown>>> {
    const filter = new SqlFilter();
    if (query.q) filter.where((p) => `d.id ILIKE ${p(`${escapeLike(query.q!)}%`)}`);
    if (query.id) filter.where((p) => `d.id = ANY(${p(query.id)}::text[])`);
    if (query.model) filter.where((p) => `d.model = ${p(query.model)}`);
    if (query.firmware) filter.where((p) => `d.firmware_version = ${p(query.firmware)}`);
    if (query.state) filter.where((p) => `${effectiveState} = ${p(query.state)}`);
    if (query.customerId) filter.where((p) => `d.customer_id = ${p(query.customerId)}`);
    if (query.incidentId) {
      filter.where(
        (p) => `d.id IN (SELECT o.device_id FROM incident_order io JOIN orders o ON o.id = io.order_id
                         WHERE io.incident_id = ${p(query.incidentId)} AND io.status <> 'excluded')`,
      );
    }
    const countParams = [...filter.params];
    const limit = filter.bind(query._perPage);
    const offset = filter.bind((query._page - 1) * query._perPage);
    const [data, [{ total }]] = await Promise.all([
      this.dataSource.query(
        `SELECT ${deviceColumns} FROM device d ${deviceJoins} ${filter.sql}
         ORDER BY ${sortColumns[query._sort]} ${query._order}, d.id LIMIT ${limit} OFFSET ${offset}`,
        filter.params,
      ),
      this.dataSource.query(`SELECT count(*) AS total FROM device d ${filter.sql}`, countParams),
    ]);
    return { data, total };
  }

  async get(id: string) {
    const [device] = await this.dataSource.query(`SELECT ${deviceColumns} FROM device d ${deviceJoins} WHERE d.id = $1`, [id]);
    if (!device) throw new NotFoundException(`No device with id "${id}"`);
    return device;
  }
}
