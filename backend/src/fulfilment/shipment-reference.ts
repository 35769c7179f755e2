/**
 * How the fulfilment provider knows an order's shipment: by our order id
 * (docs/fulfilment-api.md, "keyed by our order id").
 */
export function shipmentReference(order: { id: string }): string {
  return order.id;
}
