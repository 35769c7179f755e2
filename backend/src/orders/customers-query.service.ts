import { Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { escapeLike, SqlFilter } from '../database/sql-filter.js';
import type { ListResult } from '../http/list-query.js';
import type { CustomerListQuery } from './customers.schemas.js';
import { isUuid } from '../http/is-uuid.js';

const sortColumns = { email: 'c.email', name: 'c.name', createdAt: 'c.created_at', externalId: 'c.external_id' } as const;
const customerColumns = `
  c.id, c.external_id AS "externalId", c.email, c.name, c.created_at AS "createdAt",
  (SELECT count(*) FROM device d WHERE d.customer_id = c.id) AS "deviceCount",
  (SELECT count(*) FROM orders o WHERE o.customer_id = c.id) AS "orderCount"`;

@Injectable()
export class CustomersQueryService {
  constructor(private readonly dataSource: DataSource) {}

  async list(query: CustomerListQuery): Promise<ListResult<Record<string, unknown>>> {
    const filter = new SqlFilter();
    if (query.q) {
      const like = `%${escapeLike(query.q)}%`;
      filter.where((p) => `(c.email ILIKE ${p(like)} OR c.name ILIKE ${p(like)} OR c.external_id = ${p(query.q)})`);
    }
    if (query.id) filter.where((p) => `c.id = ANY(${p(query.id)}::uuid[])`);
    const countParams = [...filter.params];
    const limit = filter.bind(query._perPage);
    const offset = filter.bind((query._page - 1) * query._perPage);
    const [data, [{ total }]] = await Promise.all([
      this.dataSource.query(
        `SELECT ${customerColumns} FROM customer c ${filter.sql} ORDER BY ${sortColumns[query._sort]} ${query._order} NULLS LAST, c.id LIMIT ${limit} OFFSET ${offset}`,
        filter.params,
      ),
      this.dataSource.query(`SELECT count(*) AS total FROM customer c ${filter.sql}`, countParams),
    ]);
    return { data, total };
  }

  async get(id: string) {
    const [customer] = isUuid(id) ? await this.dataSource.query(`SELECT ${customerColumns} FROM customer c WHERE c.id = $1`, [id]) : [];
    if (!customer) throw new NotFoundException(`No customer with id "${id}"`);
    return customer;
  }
}
