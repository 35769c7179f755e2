import type { ActionType, ForwardState, Shipment, ShipmentState, StoppedState } from '../state/shipment.js';

/**
 * The one rule for "may this action be taken on this shipment now?". Each
 * action applies at exactly one point of the carrier's forward path and
 * leaves the shipment stopped there:
 *
 *   unfulfilled ──cancel──► cancelled
 *   label_created ──void_label──► label_voided
 *   in_transit ──intercept──► intercept_requested
 *   delivered ──return──► return_requested
 *
 * Anywhere else the answer is a 409 naming the current state, so the caller
 * can choose the action that still applies.
 */
export const actionRules: Record<ActionType, { from: ForwardState; to: StoppedState }> = {
  cancel: { from: 'unfulfilled', to: 'cancelled' },
  void_label: { from: 'label_created', to: 'label_voided' },
  intercept: { from: 'in_transit', to: 'intercept_requested' },
  return: { from: 'delivered', to: 'return_requested' },
};

/** How far along the forward path a state is; a stopped state counts where it stopped. */
const stage: Record<ShipmentState, number> = {
  unfulfilled: 0,
  cancelled: 0,
  label_created: 1,
  label_voided: 1,
  in_transit: 2,
  intercept_requested: 2,
  delivered: 3,
  return_requested: 3,
};

export type ActionVerdict =
  | { allowed: true }
  /** already_applied: done before; too_late: the shipment moved past it; invalid_state: not there yet, or stopped earlier. */
  | { allowed: false; code: 'already_applied' | 'too_late' | 'invalid_state' };

export function judgeAction(shipment: Shipment, action: ActionType): ActionVerdict {
  const rule = actionRules[action];
  if (shipment.state === rule.from) return { allowed: true };
  if (shipment.actions.some((taken) => taken.type === action)) return { allowed: false, code: 'already_applied' };
  if (stage[shipment.state] > stage[rule.from]) return { allowed: false, code: 'too_late' };
  return { allowed: false, code: 'invalid_state' };
}
