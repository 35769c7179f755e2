import type { ParamMap } from '../http/form-params.js';
import type { Change, Store } from '../state/store.js';

/** What an endpoint gets. It returns the response body (200) or throws a StripeError. */
export interface RequestContext {
  params: ParamMap;
  pathParams: Record<string, string>;
  store: Store;
  change: Change;
  /** Unix seconds, as Stripe's `created`. */
  now: number;
}

export type Endpoint = (context: RequestContext) => unknown;
