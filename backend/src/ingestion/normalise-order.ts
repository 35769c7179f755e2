import { createHash } from 'node:crypto';
import type { FulfilmentState } from '../orders/fulfilment-state.js';
import type { ShipTo } from '../orders/order.entity.js';
import type { OrderInput } from './order-input.schema.js';

/** A validated order with its derived figures, ready for the batch writer. */
export interface NormalisedOrder {
  source: string;
  externalId: string;
  placedAt: Date;
  currency: string;
  customer: { externalId: string; email: string | null; name: string | null };
  device: { id: string; model: string; firmwareVersion: string } | null;
  lines: { sku: string; quantity: number; unitPriceMinor: number; unitCostMinor: number }[];
  subtotalMinor: number;
  shippingChargedMinor: number;
  totalMinor: number;
  shippingLabelCostMinor: number;
  costOfGoodsMinor: number;
  paymentReference: string | null;
  fulfilmentState: FulfilmentState;
  carrier: string | null;
  trackingNumber: string | null;
  shipTo: ShipTo;
  shipToHash: string;
  skus: string[];
}

export function normaliseOrder(input: OrderInput): NormalisedOrder {
  const subtotalMinor = input.lines.reduce((sum, line) => sum + line.quantity * line.unitPriceMinor, 0);
  const costOfGoodsMinor = input.lines.reduce((sum, line) => sum + line.quantity * line.unitCostMinor, 0);
  return {
    source: input.source,
    externalId: input.externalId,
    placedAt: new Date(input.placedAt),
    currency: input.currency,
    customer: { externalId: input.customer.externalId, email: input.customer.email?.toLowerCase() ?? null, name: input.customer.name },
    device: input.device,
    lines: input.lines,
    subtotalMinor,
    shippingChargedMinor: input.shippingChargedMinor,
    totalMinor: subtotalMinor + input.shippingChargedMinor,
    shippingLabelCostMinor: input.shippingLabelCostMinor,
    costOfGoodsMinor,
    paymentReference: input.paymentReference,
    fulfilmentState: input.fulfilment.state,
    carrier: input.fulfilment.carrier,
    trackingNumber: input.fulfilment.trackingNumber,
    shipTo: input.shipTo,
    shipToHash: shipToHash(input.shipTo),
    skus: [...new Set(input.lines.map((line) => line.sku))],
  };
}

/**
 * The same place written differently ("12 Main St." / "12 main st") hashes
 * the same; the recipient's name is left out on purpose, because fraudsters
 * re-route many orders to one drop address under different names.
 */
export function shipToHash(shipTo: ShipTo): string {
  const normalise = (value: string | null) =>
    (value ?? '')
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, ' ')
      .trim();
  const key = [shipTo.line1, shipTo.line2, shipTo.city, shipTo.postalCode, shipTo.country].map(normalise).join('|');
  return createHash('sha256').update(key).digest('hex').slice(0, 32);
}
