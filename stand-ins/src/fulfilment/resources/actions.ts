import { randomHex } from '../../shared/random-ids.js';
import { actionRules, judgeAction } from '../actions/state-machine.js';
import { interceptFeeMinor, labelCreditMinor, returnShippingCostMinor } from '../actions/carrier-fees.js';
import { shipmentMissing, stateConflict } from '../errors.js';
import type { ActionRecord, ActionType, Shipment } from '../state/shipment.js';
import type { Endpoint, RequestContext } from './context.js';
import { optionalString, rejectUnknown } from './body-params.js';

/**
 * POST /v1/shipments/:reference/{cancel,void-label,intercept,return}. Each
 * takes an optional `{ "note": "…" }`, requires an Idempotency-Key (server.ts)
 * and answers `{ action, shipment }`, where the action carries what it cost or
 * credited. When the shipment is not where the action applies, 409 with the
 * current `state` (actions/state-machine.ts has the rule).
 */
export const cancelShipment = shipmentAction('cancel');
export const voidLabel = shipmentAction('void_label');
export const interceptShipment = shipmentAction('intercept');
export const returnShipment = shipmentAction('return');

function shipmentAction(type: ActionType): Endpoint {
  return (context) => {
    const { body, pathParams, store, faults, stats, now, changed } = context;
    rejectUnknown(body, ['note']);
    optionalString(body, 'note', 500);
    let shipment = store.get(pathParams.reference!);
    if (!shipment) {
      stats.refused('resource_missing');
      throw shipmentMissing(pathParams.reference!);
    }
    if (type === 'intercept' && shipment.state === 'in_transit' && faults.deliveredBeforeIntercept()) {
      // The carrier scanned it at the door a moment before the intercept request landed.
      shipment = moveTo(shipment, 'delivered', 'carrier', now);
      changed.push(shipment);
      stats.deliveredBeforeIntercept++;
    }
    const verdict = judgeAction(shipment, type);
    if (!verdict.allowed) {
      stats.refused(verdict.code);
      throw stateConflict(verdict.code, type, shipment.state);
    }
    const record = actionRecord(type, shipment, context);
    const updated = { ...moveTo(shipment, record.toState, 'action', now), actions: [...shipment.actions, record] };
    changed.push(updated);
    return { status: 200, body: { action: record, shipment: updated } };
  };
}

function actionRecord(type: ActionType, shipment: Shipment, { idempotencyKey, now }: RequestContext): ActionRecord {
  const record: ActionRecord = {
    id: `act_${randomHex(10)}`,
    type,
    at: now.toISOString(),
    idempotencyKey: idempotencyKey!,
    fromState: shipment.state,
    toState: actionRules[type].to,
    currency: shipment.currency,
  };
  if (type === 'void_label') record.labelCreditMinor = labelCreditMinor(shipment);
  if (type === 'intercept') record.interceptFeeMinor = interceptFeeMinor(shipment);
  if (type === 'return') record.returnShippingCostMinor = returnShippingCostMinor(shipment);
  return record;
}

/** A new state, with the history entry saying who moved it there. */
export function moveTo(shipment: Shipment, state: Shipment['state'], by: 'carrier' | 'action', now: Date): Shipment {
  const at = now.toISOString();
  return { ...shipment, state, updatedAt: at, history: [...shipment.history, { state, at, by }] };
}
