import type { IncomingMessage, ServerResponse } from 'node:http';
import { controlRoute, handleCommonControl, readJson, sendControlJson as sendJson } from '../../shared/control-api.js';
import type { RequestStats } from '../../shared/request-stats.js';
import { moveTo } from '../resources/actions.js';
import { newTrackingNumber } from '../resources/shipments.js';
import type { IdempotencyKeys } from '../idempotency/idempotency-keys.js';
import { actionTypes, forwardStates, type ActionType, type ForwardState } from '../state/shipment.js';
import type { Store } from '../state/store.js';
import type { Faults } from '../traffic/faults.js';
import type { ActionStats } from './action-stats.js';

export interface ControlDeps {
  store: Store;
  faults: Faults;
  requests: RequestStats;
  actions: ActionStats;
  idempotency: IdempotencyKeys;
  allowReset: boolean;
}

const known = [
  'GET /__stand-in/health',
  'GET|POST|DELETE /__stand-in/faults',
  'GET /__stand-in/stats',
  'POST /__stand-in/shipments/:reference/state',
  'POST /__stand-in/reset',
];

/**
 * `/__stand-in/*`: the controls every stand-in has (shared/control-api.ts),
 * and the provider's own: the carrier moving a shipment on.
 */
export async function handleControl(req: IncomingMessage, res: ServerResponse, url: URL, deps: ControlDeps): Promise<void> {
  const route = controlRoute(req, url);
  const carrierMove = route.match(/^POST \/__stand-in\/shipments\/([^/]+)\/state$/);
  if (carrierMove) return moveShipment(req, res, decodeURIComponent(carrierMove[1]!), deps);
  return handleCommonControl(req, res, route, {
    service: 'fulfilment',
    faults: deps.faults,
    stats: () => stats(deps),
    allowReset: deps.allowReset,
    reset: () => {
      deps.store.reset();
      deps.requests.clear();
      deps.actions.clear();
    },
    known,
  });
}

/**
 * The carrier moves a parcel on (`{ "state": "in_transit" }`): how a test makes
 * a shipment progress between a preview and the run that acts on it.
 * Only along the forward path, and never out of a state an action stopped it in.
 */
async function moveShipment(req: IncomingMessage, res: ServerResponse, reference: string, { store }: ControlDeps): Promise<void> {
  let body: unknown;
  try {
    body = await readJson(req);
  } catch (error) {
    return sendJson(res, 400, { error: (error as Error).message });
  }
  const state = (body as { state?: unknown } | null)?.state;
  if (typeof state !== 'string' || !(forwardStates as readonly string[]).includes(state)) {
    return sendJson(res, 400, { error: `state must be one of ${forwardStates.join(', ')}` });
  }
  const shipment = store.get(reference);
  if (!shipment) return sendJson(res, 404, { error: `No such shipment: '${reference}'` });
  const from = forwardStates.indexOf(shipment.state as ForwardState);
  if (from === -1 || forwardStates.indexOf(state as ForwardState) <= from) {
    return sendJson(res, 409, { error: `A carrier moves a shipment forward only; it is ${shipment.state}`, state: shipment.state });
  }
  const moved = moveTo(shipment, state as ForwardState, 'carrier', new Date());
  moved.trackingNumber ??= newTrackingNumber(moved.carrier);
  store.commit([moved]);
  return sendJson(res, 200, moved);
}

function stats({ store, requests, actions, idempotency, faults }: ControlDeps) {
  const byState: Record<string, number> = {};
  const applied = Object.fromEntries(actionTypes.map((type) => [type, 0])) as Record<ActionType, number>;
  const moneyByCurrency: Record<string, { labelCreditMinor: number; interceptFeeMinor: number; returnShippingCostMinor: number }> = {};
  let actionsAppliedTwice = 0;
  for (const shipment of store.all()) {
    byState[shipment.state] = (byState[shipment.state] ?? 0) + 1;
    const seen = new Set<ActionType>();
    for (const action of shipment.actions) {
      applied[action.type]++;
      if (seen.has(action.type)) actionsAppliedTwice++;
      seen.add(action.type);
      const money = (moneyByCurrency[action.currency] ??= { labelCreditMinor: 0, interceptFeeMinor: 0, returnShippingCostMinor: 0 });
      money.labelCreditMinor += action.labelCreditMinor ?? 0;
      money.interceptFeeMinor += action.interceptFeeMinor ?? 0;
      money.returnShippingCostMinor += action.returnShippingCostMinor ?? 0;
    }
  }
  return {
    requests: { ...requests.summary(), idempotencyKeysInFlight: idempotency.inFlightCount },
    shipments: store.size,
    byState,
    /** Actions taken, from the shipments' own logs (kept across restarts). */
    actions: applied,
    moneyByCurrency,
    /** Shipments whose log holds one action twice. The state machine makes this impossible: must be 0. */
    actionsAppliedTwice,
    repeatedActionRequests: actions.repeatedActionRequests,
    refusedByCode: actions.refusedByCode,
    deliveredBeforeIntercept: actions.deliveredBeforeIntercept,
    faults: faults.current,
  };
}
