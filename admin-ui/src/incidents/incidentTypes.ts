/** Incident states, severities and membership as the API reports them (backend/src/incidents/incident-lifecycle.ts). */
export const INCIDENT_STATUSES = ['declared', 'triage', 'remediating', 'monitoring', 'resolved', 'closed'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

/** Most severe first, the order the API sorts them in. */
export const INCIDENT_SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export type IncidentSeverity = (typeof INCIDENT_SEVERITIES)[number];

export const MEMBERSHIP_STATUSES = ['suspected', 'confirmed', 'excluded'] as const;
export type MembershipStatus = (typeof MEMBERSHIP_STATUSES)[number];

/** What a person does to orders (`POST /api/incidents/:id/members` `action`) and the state it gives them. */
export const MEMBERSHIP_ACTIONS = ['suspect', 'confirm', 'exclude'] as const;
export type MembershipAction = (typeof MEMBERSHIP_ACTIONS)[number];

export const TIMELINE_KINDS = ['declared', 'status_changed', 'membership', 'update', 'edited', 'remediation'] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

/** Orders and value of one membership state in one currency; never summed across currencies. */
export interface CurrencyValue {
  currency: string;
  orders: number;
  totalMinor: number;
}

export interface IncidentMetrics {
  timeToDetectSeconds: number | null;
  timeToMitigateSeconds: number | null;
  timeToResolveSeconds: number | null;
}

export interface DevicesByModel {
  model: string | null;
  firmware: string | null;
  devices: number;
  orders: number;
}

/**
 * `GET /api/incidents/:id`. List rows (`GET /api/incidents`) have the same
 * fields up to `members`; the rest is only on the single incident, so views
 * must cope with it missing while the full record loads.
 */
export interface Incident {
  id: string;
  number: number;
  reference: string;
  title: string;
  severity: IncidentSeverity;
  status: IncidentStatus;
  commanderId: string | null;
  commanderEmail: string | null;
  proposalId: string | null;
  startedAt: string | null;
  detectedAt: string | null;
  declaredAt: string | null;
  triageAt: string | null;
  mitigatedAt: string | null;
  resolvedAt: string | null;
  closedAt: string | null;
  createdByEmail: string | null;
  createdAt: string;
  updatedAt: string;
  members: Record<MembershipStatus, number>;
  summary?: string | null;
  allowedTransitions?: IncidentStatus[];
  value: { confirmed: CurrencyValue[]; suspected: CurrencyValue[] };
  devices?: number;
  devicesByModel?: DevicesByModel[];
  metrics?: IncidentMetrics;
}

/** `GET /api/incidents/:id/members/count`. */
export interface MemberCount {
  count: number;
  inThisIncident: number;
  inOtherOpenIncidents: number;
}

/** `POST /api/incidents/:id/members`. */
export interface MembershipResult {
  action: MembershipAction;
  status: MembershipStatus;
  matched: number;
  added: number;
  changed: number;
  unchanged: number;
  members: Record<MembershipStatus, number>;
}

type ChipColor = 'default' | 'primary' | 'secondary' | 'error' | 'info' | 'success' | 'warning';

/** Open and unhandled is loud; the further along, the calmer. */
export const STATUS_COLOR: Record<IncidentStatus, ChipColor> = {
  declared: 'error',
  triage: 'warning',
  remediating: 'secondary',
  monitoring: 'info',
  resolved: 'success',
  closed: 'default',
};

export const SEVERITY_COLOR: Record<IncidentSeverity, ChipColor> = {
  critical: 'error',
  high: 'warning',
  medium: 'info',
  low: 'default',
};

export const MEMBERSHIP_COLOR: Record<MembershipStatus, ChipColor> = {
  suspected: 'warning',
  confirmed: 'error',
  excluded: 'default',
};

export const ACTION_STATUS: Record<MembershipAction, MembershipStatus> = {
  suspect: 'suspected',
  confirm: 'confirmed',
  exclude: 'excluded',
};

export const statusChoices = INCIDENT_STATUSES.map((id) => ({ id, name: `resources.incidents.statuses.${id}` }));
export const severityChoices = INCIDENT_SEVERITIES.map((id) => ({ id, name: `resources.incidents.severities.${id}` }));

export const isClosed = (incident: Pick<Incident, 'status'> | undefined) => incident?.status === 'closed';
