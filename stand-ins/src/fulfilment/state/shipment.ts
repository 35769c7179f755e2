/**
 * A shipment as the fulfilment provider keeps and answers it. Money is in
 * integer minor units of the shipment's ISO currency.
 */

/** Where a shipment can be when the merchant registers it: the carrier's forward path. */
export const forwardStates = ['unfulfilled', 'label_created', 'in_transit', 'delivered'] as const;
export type ForwardState = (typeof forwardStates)[number];

/** Where an action leaves it; each is final for the provider. */
export type StoppedState = 'cancelled' | 'label_voided' | 'intercept_requested' | 'return_requested';

export type ShipmentState = ForwardState | StoppedState;

export const actionTypes = ['cancel', 'void_label', 'intercept', 'return'] as const;
export type ActionType = (typeof actionTypes)[number];

/** One action the merchant took, with what it cost or gave back. */
export interface ActionRecord {
  id: string;
  type: ActionType;
  at: string;
  idempotencyKey: string;
  fromState: ShipmentState;
  toState: ShipmentState;
  currency: string;
  /** void_label: the unused label's cost, credited back to the merchant. */
  labelCreditMinor?: number;
  /** intercept: the carrier's fee for stopping a parcel in transit. */
  interceptFeeMinor?: number;
  /** return: the return label the merchant pays for. */
  returnShippingCostMinor?: number;
}

/** Every state the shipment went through, and who moved it there. */
export interface StateChange {
  state: ShipmentState;
  at: string;
  by: 'merchant' | 'carrier' | 'action';
}

export interface Shipment {
  object: 'shipment';
  reference: string;
  state: ShipmentState;
  carrier: string;
  trackingNumber: string | null;
  currency: string;
  labelCostMinor: number;
  shippingPaidMinor: number;
  createdAt: string;
  updatedAt: string;
  actions: ActionRecord[];
  history: StateChange[];
}
