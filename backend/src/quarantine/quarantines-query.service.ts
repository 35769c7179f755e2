import { Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SqlFilter } from '../database/sql-filter.js';
import type { ListResult } from '../http/list-query.js';
import { activeQuarantine, quarantineCovers } from './quarantine-match.sql.js';
import type { QuarantineListQuery } from './quarantine.schemas.js';
import { devicesNamedBy } from './quarantine-target.js';
import { isUuid } from '../http/is-uuid.js';

const sortColumns = { createdAt: 'q.created_at' } as const;

/** `status` spells out why a quarantine no longer applies; `active` is the same as a flag for filters and badges. */
const columns = `
  q.id, q.scope, q.device_id AS "deviceId", q.model, q.firmware_version AS "firmwareVersion", q.reason,
  q.incident_id AS "incidentId", q.created_by AS "createdBy", cu.email AS "createdByEmail", q.created_at AS "createdAt",
  q.expires_at AS "expiresAt", q.released_at AS "releasedAt", q.released_by AS "releasedBy", ru.email AS "releasedByEmail",
  q.release_reason AS "releaseReason", ${activeQuarantine('q')} AS active,
  CASE WHEN q.released_at IS NOT NULL THEN 'released' WHEN q.expires_at <= now() THEN 'expired' ELSE 'active' END AS status`;
const joins = `LEFT JOIN app_user cu ON cu.id = q.created_by LEFT JOIN app_user ru ON ru.id = q.released_by`;

@Injectable()
export class QuarantinesQueryService {
  constructor(private readonly dataSource: DataSource) {}

  async list(query: QuarantineListQuery): Promise<ListResult<Record<string, unknown>>> {
    const filter = new SqlFilter();
    if (query.active !== undefined) filter.where(() => (query.active ? activeQuarantine('q') : `NOT ${activeQuarantine('q')}`));
    if (query.scope) filter.where((p) => `q.scope = ${p(query.scope)}`);
    if (query.deviceId) {
      const covers = quarantineCovers('q', { deviceId: 'd.id', model: 'd.model', firmware: 'd.firmware_version' });
      filter.where((p) => `EXISTS (SELECT 1 FROM device d WHERE d.id = ${p(query.deviceId)} AND ${covers})`);
    }
    if (query.model) filter.where((p) => `q.model = ${p(query.model)}`);
    if (query.incidentId) filter.where((p) => `q.incident_id = ${p(query.incidentId)}`);
    const countParams = [...filter.params];
    const limit = filter.bind(query._perPage);
    const offset = filter.bind((query._page - 1) * query._perPage);
    const [data, [{ total }]] = await Promise.all([
      this.dataSource.query(
        `SELECT ${columns} FROM quarantine q ${joins} ${filter.sql}
         ORDER BY ${sortColumns[query._sort]} ${query._order}, q.id ${query._order} LIMIT ${limit} OFFSET ${offset}`,
        filter.params,
      ),
      this.dataSource.query(`SELECT count(*)::int AS total FROM quarantine q ${filter.sql}`, countParams),
    ]);
    return { data, total };
  }

  /** One quarantine with the number of devices it names now. */
  async get(id: string) {
    if (!isUuid(id)) throw new NotFoundException(`No quarantine with id "${id}"`);
    const [row] = await this.dataSource.query(`SELECT ${columns} FROM quarantine q ${joins} WHERE q.id = $1`, [id]);
    if (!row) throw new NotFoundException(`No quarantine with id "${id}"`);
    const named = devicesNamedBy(row);
    const [{ count }] = await this.dataSource.query(`SELECT count(*)::int AS count FROM device d WHERE ${named.sql}`, named.params);
    return { ...row, devicesNamed: count };
  }
}
