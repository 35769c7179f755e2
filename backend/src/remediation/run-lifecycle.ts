/** What a run can do to an incident's confirmed orders. */
export const runActions = ['stop_shipment', 'refund', 'notify', 'quarantine_devices'] as const;
export type RunAction = (typeof runActions)[number];

/** The actions that are one step per (order, action); notify and quarantine act per customer and per device. */
export const stepActions = ['stop_shipment', 'refund'] as const;
export type StepAction = (typeof stepActions)[number];

export const stepOperations = ['cancel', 'void_label', 'intercept', 'request_return', 'refund'] as const;
export type StepOperation = (typeof stepOperations)[number];

export const stepStatuses = ['pending', 'queued', 'in_flight', 'succeeded', 'skipped', 'failed', 'cancelled'] as const;
export type StepStatus = (typeof stepStatuses)[number];

/** A step not final yet: waiting for its job, queued, or with an attempt under way. */
export const openStepStatuses = ['pending', 'queued', 'in_flight'] as const;
/**
 * The SQL list `('pending', 'queued', 'in_flight')`, for `status IN ${openStepStatusList}`: the same
 * text as the partial index remediation_step_open_idx's predicate, which a query must imply for the
 * planner to use that index (its migration spells it out, frozen like every migration).
 */
export const openStepStatusList = `(${openStepStatuses.map((status) => `'${status}'`).join(', ')})`;

/**
 * Why planning skips an order for an action (stored as the skipped step's `error_code`):
 * - excluded: the order was excluded from the incident (no step is written for it);
 * - in_another_run: another run holds a step for this order and action (the once-per-order index);
 * - already_stopped: its shipment is already cancelled, intercepted or returned;
 * - no_payment: no payment reference, or nothing was charged;
 * - disputed: the charge is disputed (the card network decides; a refund would be refused);
 * - already_refunded: refunded in full already (here or at the provider).
 */
export const skipReasons = ['excluded', 'in_another_run', 'already_stopped', 'no_payment', 'disputed', 'already_refunded'] as const;
export type SkipReason = (typeof skipReasons)[number];
/** The skipped step's `error_message`, for people. */
export const skipExplanations: Record<Exclude<SkipReason, 'excluded'>, string> = {
  in_another_run: 'Another remediation run already has a step for this order and action',
  already_stopped: 'The shipment is already cancelled, intercepted or returned',
  no_payment: 'The order has no payment to refund',
  disputed: 'The charge is disputed: the card network decides, and a refund would be refused',
  already_refunded: 'The charge is already refunded in full',
};

/** The one notice template runs write to the outbox: one e-mail per customer and incident. */
export const incidentNoticeTemplate = 'incident_notice';

export const runStatuses = [
  'awaiting_approval',
  'rejected',
  'queued',
  'planning',
  'running',
  'paused',
  'cancelling',
  'cancelled',
  'completed',
] as const;
export type RunStatus = (typeof runStatuses)[number];

/** Incident states in which a run may be requested (requesting one moves triage → remediating). */
export const incidentStatesForRuns = ['triage', 'remediating'] as const;

export type RunControl = 'approve' | 'reject' | 'pause' | 'resume' | 'cancel' | 'retry';

/**
 * The one place that says which control applies in which run state. Cancel
 * from awaiting_approval withdraws the request; from queued or planning
 * nothing was written yet, so the run is cancelled at once; from running or
 * paused it is cancelling until the steps in flight finish. Retry reopens a
 * completed run.
 */
const allowedFrom: Record<RunControl, readonly RunStatus[]> = {
  approve: ['awaiting_approval'],
  reject: ['awaiting_approval'],
  pause: ['running'],
  resume: ['paused'],
  cancel: ['awaiting_approval', 'queued', 'planning', 'running', 'paused'],
  retry: ['running', 'paused', 'completed'],
};

const finalHint: Partial<Record<RunStatus, string>> = {
  cancelled: 'a cancelled run is final; request a new run for what is left',
  rejected: 'a rejected run is final; request a new run',
  completed: 'it has finished',
  cancelling: 'it is being cancelled (steps in flight are finishing)',
};

/** Null when allowed; otherwise why not, naming the run's state. */
export function controlProblem(control: RunControl, reference: string, status: RunStatus): string | null {
  if (allowedFrom[control].includes(status)) return null;
  if (control === 'resume' && status === 'running') return `${reference} is already running`;
  if (control === 'pause' && status === 'paused') return `${reference} is already paused`;
  const hint = finalHint[status];
  return (
    `${reference} is ${status.replaceAll('_', ' ')}; ${verb[control]} needs a run that is ${allowedFrom[control].join(' or ').replaceAll('_', ' ')}` +
    (hint ? ` (${hint})` : '')
  );
}

const verb: Record<RunControl, string> = {
  approve: 'approval',
  reject: 'rejection',
  pause: 'pausing',
  resume: 'resuming',
  cancel: 'cancelling',
  retry: 'retrying failed steps',
};

/** "RUN-0042": the number people say out loud. */
export function runReference(num: number): string {
  return `RUN-${String(num).padStart(4, '0')}`;
}
