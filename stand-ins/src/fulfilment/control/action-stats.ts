/**
 * What the API did with shipment actions since start (or reset). The actions
 * applied are counted from the shipments themselves (control/stats.ts); these
 * are the things only the requests show.
 */
export class ActionStats {
  /** Refused actions by code: too_late, invalid_state, already_applied, resource_missing. */
  refusedByCode: Record<string, number> = {};
  /**
   * Requests — not idempotent replays — for an action the shipment had already
   * received. A client that derives its keys from its own step never makes one: should stay 0.
   */
  repeatedActionRequests = 0;
  /** Intercepts that lost the race with the carrier (the fault knob). */
  deliveredBeforeIntercept = 0;

  refused(code: string): void {
    this.refusedByCode[code] = (this.refusedByCode[code] ?? 0) + 1;
    if (code === 'already_applied') this.repeatedActionRequests++;
  }

  clear(): void {
    this.refusedByCode = {};
    this.repeatedActionRequests = 0;
    this.deliveredBeforeIntercept = 0;
  }
}
