/**
 * What the remediation engine needs from the fulfilment provider (3PL or
 * carrier): stop a shipment at whatever point it has reached, and read a
 * shipment with the actions taken on it. Every action carries the caller's
 * idempotency key, so a retry never applies it twice. Contract:
 * docs/fulfilment-api.md. Failures are thrown as ProviderFailure.
 */
export type ShipmentState =
  'unfulfilled' | 'label_created' | 'in_transit' | 'delivered' | 'cancelled' | 'label_voided' | 'intercept_requested' | 'return_requested';

export type ShipmentActionType = 'cancel' | 'void_label' | 'intercept' | 'return';

export interface ShipmentAction {
  id: string;
  type: ShipmentActionType;
  at: string;
  idempotencyKey: string;
  fromState: ShipmentState;
  toState: ShipmentState;
  currency: string;
  /** void_label: the unused label's cost, credited back. */
  labelCreditMinor?: number;
  /** intercept: the carrier's fee. */
  interceptFeeMinor?: number;
  /** return: the return label we pay for. */
  returnShippingCostMinor?: number;
}

export interface ShipmentRecord {
  reference: string;
  state: ShipmentState;
  carrier: string;
  trackingNumber: string | null;
  currency: string;
  actions: ShipmentAction[];
}

export interface ActionResult {
  action: ShipmentAction;
  shipment: ShipmentRecord;
}

export interface FulfilmentProvider {
  cancel(reference: string, idempotencyKey: string): Promise<ActionResult>;
  voidLabel(reference: string, idempotencyKey: string): Promise<ActionResult>;
  intercept(reference: string, idempotencyKey: string): Promise<ActionResult>;
  requestReturn(reference: string, idempotencyKey: string): Promise<ActionResult>;
  getShipment(reference: string): Promise<ShipmentRecord>;
}

export const FULFILMENT_PROVIDER = Symbol('FULFILMENT_PROVIDER');
