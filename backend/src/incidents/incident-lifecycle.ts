export const incidentSeverities = ['critical', 'high', 'medium', 'low'] as const;
export type IncidentSeverity = (typeof incidentSeverities)[number];

export const incidentStatuses = ['declared', 'triage', 'remediating', 'monitoring', 'resolved', 'closed'] as const;
export type IncidentStatus = (typeof incidentStatuses)[number];

export const membershipStatuses = ['suspected', 'confirmed', 'excluded'] as const;
export type MembershipStatus = (typeof membershipStatuses)[number];

/**
 * The one place that says where an incident may go next. Forward one step at
 * a time, plus two shortcuts people need in practice:
 * - triage → resolved: triage found a false alarm, there is nothing to remediate;
 * - monitoring → remediating: it flared up again while being watched.
 * Closed is final.
 */
const nextStates: Record<IncidentStatus, readonly IncidentStatus[]> = {
  declared: ['triage'],
  triage: ['remediating', 'resolved'],
  remediating: ['monitoring'],
  monitoring: ['resolved', 'remediating'],
  resolved: ['closed'],
  closed: [],
};

export function allowedTransitions(from: IncidentStatus): readonly IncidentStatus[] {
  return nextStates[from];
}

/** Null when allowed; otherwise why not, naming both states and the allowed next ones. */
export function transitionProblem(from: IncidentStatus, to: IncidentStatus): string | null {
  if (nextStates[from].includes(to)) return null;
  const allowed = nextStates[from];
  const next = allowed.length ? `from ${from} it can move to ${allowed.join(' or ')}` : `${from} is final`;
  if (from === to) return `The incident is already ${from}; ${next}`;
  return `Cannot move the incident from ${from} to ${to}: ${next}`;
}

/** The column stamped when the incident enters a state (remediating has none: the timeline records it). */
export const stampedOnEntry: Partial<Record<IncidentStatus, string>> = {
  triage: 'triage_at',
  monitoring: 'mitigated_at',
  resolved: 'resolved_at',
  closed: 'closed_at',
};

/** Severity and status order for sorting (most severe first, lifecycle order). */
export const severityRank = `array_position(ARRAY['critical','high','medium','low'], i.severity)`;
export const statusRank = `array_position(ARRAY['declared','triage','remediating','monitoring','resolved','closed'], i.status)`;

/** "INC-0042": the number people say out loud. */
export function incidentReference(num: number): string {
  return `INC-${String(num).padStart(4, '0')}`;
}

/** Accepts "INC-0042", "inc-42" or "42". */
export function parseIncidentReference(text: string): number | null {
  const match = /^(?:INC-?)?0*(\d{1,9})$/i.exec(text.trim());
  return match ? Number(match[1]) : null;
}
