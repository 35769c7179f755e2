import type { Shipment } from '../state/shipment.js';
import type { Store } from '../state/store.js';
import type { Faults } from '../traffic/faults.js';
import type { ActionStats } from '../control/action-stats.js';

/** What an endpoint gets. It returns the status and body, or throws a FulfilmentError. */
export interface RequestContext {
  /** The JSON body of a POST ({} when empty); GETs have none. */
  body: Record<string, unknown>;
  query: URLSearchParams;
  pathParams: Record<string, string>;
  idempotencyKey: string | undefined;
  store: Store;
  faults: Faults;
  stats: ActionStats;
  now: Date;
  /**
   * Shipments this request changed, as they ended. They are committed in one
   * journal line after the endpoint returns — or throws, because a carrier event
   * that happened meanwhile (delivered before the intercept) stays true either way.
   */
  changed: Shipment[];
}

export interface EndpointResult {
  status: number;
  body: unknown;
}

export type Endpoint = (context: RequestContext) => EndpointResult;
