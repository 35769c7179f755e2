import { randomInt } from 'node:crypto';
import { parameterInvalid, shipmentExists, shipmentMissing } from '../errors.js';
import { forwardStates, type Shipment, type ShipmentState } from '../state/shipment.js';
import type { Endpoint } from './context.js';
import {
  rejectUnknown,
  requiredCurrency,
  requiredEnum,
  requiredMinorUnits,
  requiredReference,
  requiredString,
  optionalString,
} from './body-params.js';

/**
 * POST /v1/shipments: the merchant tells the provider about a shipment it
 * handles for an order — its state now, the carrier, the label it paid for
 * and the shipping the customer paid. 201 with the shipment; 409 resource_exists
 * when the reference is known (read it with GET instead).
 */
export const registerShipment: Endpoint = ({ body, store, now, changed }) => {
  rejectUnknown(body, ['reference', 'state', 'carrier', 'labelCostMinor', 'shippingPaidMinor', 'currency', 'trackingNumber']);
  const reference = requiredReference(body);
  const state = requiredEnum(body, 'state', forwardStates);
  const carrier = requiredString(body, 'carrier', 50);
  const labelCostMinor = requiredMinorUnits(body, 'labelCostMinor');
  const shippingPaidMinor = requiredMinorUnits(body, 'shippingPaidMinor');
  const currency = requiredCurrency(body);
  const trackingNumber = optionalString(body, 'trackingNumber', 64);
  if (store.get(reference)) throw shipmentExists(reference);

  const at = now.toISOString();
  const shipment: Shipment = {
    object: 'shipment',
    reference,
    state,
    carrier,
    // A label exists from label_created on, and with it a tracking number.
    trackingNumber: trackingNumber ?? (state === 'unfulfilled' ? null : newTrackingNumber(carrier)),
    currency,
    labelCostMinor,
    shippingPaidMinor,
    createdAt: at,
    updatedAt: at,
    actions: [],
    history: [{ state, at, by: 'merchant' }],
  };
  changed.push(shipment);
  return { status: 201, body: shipment };
};

export const retrieveShipment: Endpoint = ({ pathParams, store }) => {
  const shipment = store.get(pathParams.reference!);
  if (!shipment) throw shipmentMissing(pathParams.reference!);
  return { status: 200, body: shipment };
};

/** GET /v1/shipments?state=&limit=&starting_after=: registration order, for reconciling a whole incident. */
export const listShipments: Endpoint = ({ query, store }) => {
  for (const name of query.keys())
    if (!['state', 'limit', 'starting_after'].includes(name)) throw parameterInvalid(name, 'unknown query parameter');
  const state = query.get('state') ?? undefined;
  const allStates: readonly string[] = ['cancelled', 'label_voided', 'intercept_requested', 'return_requested', ...forwardStates];
  if (state !== undefined && !allStates.includes(state)) throw parameterInvalid('state', `must be one of ${allStates.join(', ')}`);
  const limitText = query.get('limit') ?? '20';
  const limit = Number(limitText);
  if (!/^\d+$/.test(limitText) || limit < 1 || limit > 100) throw parameterInvalid('limit', 'must be a whole number from 1 to 100');
  const startingAfter = query.get('starting_after') ?? undefined;
  if (startingAfter !== undefined && !store.get(startingAfter)) throw parameterInvalid('starting_after', `no shipment '${startingAfter}'`);
  const page = store.page(startingAfter, limit, (shipment) => state === undefined || shipment.state === (state as ShipmentState));
  return { status: 200, body: { object: 'list', data: page.data, hasMore: page.hasMore } };
};

export function newTrackingNumber(carrier: string): string {
  const prefix =
    carrier
      .replace(/[^A-Za-z]/g, '')
      .slice(0, 3)
      .toUpperCase() || 'TRK';
  return `${prefix}${String(randomInt(1e9)).padStart(9, '0')}${String(randomInt(1e9)).padStart(9, '0')}`;
}
