import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody } from '../../shared/read-body.js';
import type { RequestStats } from '../../shared/request-stats.js';
import { sendJson as sendApiJson } from '../../shared/send-json.js';
import { moveTo } from '../resources/actions.js';
import { newTrackingNumber } from '../resources/shipments.js';
import type { IdempotencyKeys } from '../idempotency/idempotency-keys.js';
import { actionTypes, forwardStates, type ActionType, type ForwardState } from '../state/shipment.js';
import type { Store } from '../state/store.js';
import { FaultSettingsError, type Faults } from '../traffic/faults.js';
import type { ActionStats } from './action-stats.js';

export interface ControlDeps {
  store: Store;
  faults: Faults;
  requests: RequestStats;
  actions: ActionStats;
  idempotency: IdempotencyKeys;
  allowReset: boolean;
}

const sendJson = (res: ServerResponse, status: number, body: unknown) => sendApiJson(res, status, body, true);

const known = [
  'GET /__stand-in/health',
  'GET|POST|DELETE /__stand-in/faults',
  'GET /__stand-in/stats',
  'POST /__stand-in/shipments/:reference/state',
  'POST /__stand-in/reset',
];

/**
 * `/__stand-in/*`: the test and bench controls, outside the provider's API
 * (no key, no rate limit, no faults). Plain JSON in and out.
 */
export async function handleControl(req: IncomingMessage, res: ServerResponse, url: URL, deps: ControlDeps): Promise<void> {
  const route = `${req.method} ${url.pathname.replace(/\/+$/, '')}`;
  const carrierMove = route.match(/^POST \/__stand-in\/shipments\/([^/]+)\/state$/);
  if (carrierMove) return moveShipment(req, res, decodeURIComponent(carrierMove[1]!), deps);
  switch (route) {
    case 'GET /__stand-in/health':
      return sendJson(res, 200, { ok: true, service: 'fulfilment', pid: process.pid });
    case 'GET /__stand-in/faults':
      return sendJson(res, 200, deps.faults.current);
    case 'POST /__stand-in/faults':
      try {
        return sendJson(res, 200, deps.faults.update(await readJson(req)));
      } catch (error) {
        if (error instanceof FaultSettingsError || error instanceof SyntaxError) return sendJson(res, 400, { error: error.message });
        throw error;
      }
    case 'DELETE /__stand-in/faults':
      return sendJson(res, 200, deps.faults.restoreDefaults());
    case 'GET /__stand-in/stats':
      return sendJson(res, 200, stats(deps));
    case 'POST /__stand-in/reset':
      if (!deps.allowReset) return sendJson(res, 403, { error: 'Reset is disabled; start the stand-in with ALLOW_RESET=1 to allow it.' });
      deps.store.reset();
      deps.requests.clear();
      deps.actions.clear();
      deps.faults.restoreDefaults();
      return sendJson(res, 200, { ok: true });
    default:
      return sendJson(res, 404, { error: `No control endpoint ${route}. Known: ${known.join(', ')}` });
  }
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
    requests: {
      total: requests.total,
      byStatus: requests.byStatus,
      rateLimited: requests.rateLimited,
      injected5xx: requests.injected5xx,
      injectedResets: requests.injectedResets,
      idempotentReplays: requests.idempotentReplays,
      idempotencyKeysInFlight: idempotency.inFlightCount,
    },
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

async function readJson(req: IncomingMessage): Promise<unknown> {
  const text = await readBody(req);
  return text.trim() === '' ? {} : JSON.parse(text);
}
