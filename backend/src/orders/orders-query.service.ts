import { Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { escapeLike, SqlFilter } from '../database/sql-filter.js';
import type { ListResult } from '../http/list-query.js';
import type { OrderFilter, OrderListQuery } from './orders.schemas.js';
import { isUuid } from '../http/is-uuid.js';

const sortColumns = {
  placedAt: 'o.placed_at',
  totalMinor: 'o.total_minor',
  externalId: 'o.external_id',
  fulfilmentState: 'o.fulfilment_state',
  currency: 'o.currency',
} as const;

/** Columns of a list row, in the API's names. Money is bigint minor units. */
const orderColumns = `
  o.id, o.source, o.external_id AS "externalId", o.placed_at AS "placedAt", o.currency,
  o.subtotal_minor AS "subtotalMinor", o.shipping_charged_minor AS "shippingChargedMinor",
  o.total_minor AS "totalMinor", o.shipping_label_cost_minor AS "shippingLabelCostMinor",
  o.cost_of_goods_minor AS "costOfGoodsMinor", o.payment_reference AS "paymentReference",
  o.fulfilment_state AS "fulfilmentState", o.carrier, o.tracking_number AS "trackingNumber",
  o.customer_id AS "customerId", c.email AS "customerEmail", c.name AS "customerName",
  o.device_id AS "deviceId", o.device_model AS "deviceModel", o.firmware_version AS "firmwareVersion",
  o.ship_to AS "shipTo", o.ship_to_hash AS "shipToHash", o.held, o.hold_reason AS "holdReason",
  o.line_count AS "lineCount", o.skus, o.created_at AS "createdAt", o.updated_at AS "updatedAt"`;

/**
 * The WHERE conditions of an order filter over `orders o`: the one rule for
 * "which orders does this filter select", used by the orders list and by
 * incident declaration and membership. Pass a filter to add conditions to it.
 */
export function buildOrderFilter(query: OrderFilter, filter = new SqlFilter()): SqlFilter {
  if (query.q) {
    const q = query.q;
    filter.where((p) => (isUuid(q) ? `o.id = ${p(q)}` : `(o.external_id LIKE ${p(`${escapeLike(q)}%`)} OR o.payment_reference = ${p(q)})`));
  }
  if (query.id) filter.where((p) => `o.id = ANY(${p(query.id)}::uuid[])`);
  if (query.fulfilmentState) {
    // One state as `=` lets the planner walk the (state, placed_at, id) index in order.
    const states = query.fulfilmentState;
    filter.where((p) => (states.length === 1 ? `o.fulfilment_state = ${p(states[0])}` : `o.fulfilment_state = ANY(${p(states)}::text[])`));
  }
  if (query.deviceId) filter.where((p) => `o.device_id = ${p(query.deviceId)}`);
  if (query.model) filter.where((p) => `o.device_model = ${p(query.model)}`);
  if (query.firmware) filter.where((p) => `o.firmware_version = ${p(query.firmware)}`);
  if (query.customerId) filter.where((p) => `o.customer_id = ${p(query.customerId)}`);
  if (query.sku) filter.where((p) => `o.skus @> ARRAY[${p(query.sku)}]::text[]`);
  if (query.currency) filter.where((p) => `o.currency = ${p(query.currency)}`);
  if (query.totalMin !== undefined) filter.where((p) => `o.total_minor >= ${p(query.totalMin)}`);
  if (query.totalMax !== undefined) filter.where((p) => `o.total_minor <= ${p(query.totalMax)}`);
  if (query.placedFrom) filter.where((p) => `o.placed_at >= ${p(query.placedFrom)}::date`);
  if (query.placedTo) filter.where((p) => `o.placed_at < ${p(query.placedTo)}::date + 1`);
  if (query.held !== undefined) filter.where((p) => `o.held = ${p(query.held)}`);
  if (query.incidentId) {
    filter.where(
      (p) =>
        `EXISTS (SELECT 1 FROM incident_order io WHERE io.order_id = o.id AND io.incident_id = ${p(query.incidentId)} AND io.status <> 'excluded')`,
    );
  }
  // Served by the partial unique index of open memberships (incidents migration).
  if (query.inNoIncident === true) {
    filter.where(() => `NOT EXISTS (SELECT 1 FROM incident_order io WHERE io.order_id = o.id AND io.open AND io.status <> 'excluded')`);
  }
  if (query.inNoIncident === false) {
    filter.where(() => `EXISTS (SELECT 1 FROM incident_order io WHERE io.order_id = o.id AND io.open AND io.status <> 'excluded')`);
  }
  return filter;
}

/**
 * Read side of orders for the UI. Hand-written SQL so every filter maps onto
 * an index (see the orders migration). Amounts arrive as exact integers
 * (database/int8-parser.ts).
 */
@Injectable()
export class OrdersQueryService {
  constructor(private readonly dataSource: DataSource) {}

  async list(query: OrderListQuery): Promise<ListResult<Record<string, unknown>>> {
    const filter = buildOrderFilter(query);
    const order = `${sortColumns[query._sort]} ${query._order}, o.id ${query._order}`;
    const limit = filter.bind(query._perPage);
    const offset = filter.bind((query._page - 1) * query._perPage);
    // Unfiltered, the exact total comes from the trigger-kept tally instead of counting every row.
    const countSql = filter.sql
      ? `SELECT count(*) AS total FROM orders o ${filter.sql}`
      : `SELECT sum(orders)::bigint AS total FROM orders_tally`;
    const [data, [{ total }]] = await Promise.all([
      this.dataSource.query(
        `SELECT ${orderColumns} FROM orders o JOIN customer c ON c.id = o.customer_id ${filter.sql} ORDER BY ${order} LIMIT ${limit} OFFSET ${offset}`,
        filter.params,
      ),
      this.dataSource.query(countSql, filter.sql ? filter.params.slice(0, -2) : []),
    ]);
    return { data, total };
  }

  async get(id: string) {
    if (!isUuid(id)) throw new NotFoundException(`No order with id "${id}"`);
    const [order] = await this.dataSource.query(
      `SELECT ${orderColumns} FROM orders o JOIN customer c ON c.id = o.customer_id WHERE o.id = $1`,
      [id],
    );
    if (!order) throw new NotFoundException(`No order with id "${id}"`);
    const lines = await this.dataSource.query(
      `SELECT line_no AS "lineNo", sku, quantity, unit_price_minor AS "unitPriceMinor", unit_cost_minor AS "unitCostMinor",
              (quantity * unit_price_minor) AS "totalMinor"
       FROM order_line WHERE order_id = $1 ORDER BY line_no`,
      [id],
    );
    return { ...order, lines };
  }
}
