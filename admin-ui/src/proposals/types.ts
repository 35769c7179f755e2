/** Shapes of `GET /api/proposals` rows and `GET /api/proposals/:id` (backend/src/detection/proposals.service.ts). */

export const PROPOSAL_STATUSES = ['open', 'declared', 'dismissed'] as const;
export type ProposalStatus = (typeof PROPOSAL_STATUSES)[number];

/** Same list and order as the backend's incident severities. */
export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** What a proposal's orders are worth in one currency (amounts of different currencies are never added). */
export interface CurrencyValue {
  currency: string;
  orders: number;
  totalMinor: number;
}

/** One rule hit as stored in `evidence`: the common keys plus the rule's own facts. */
export interface EvidenceHit {
  rule: string;
  key: string;
  summary: string;
  /** How far over its baseline (≥ 1). */
  strength: number;
  [fact: string]: unknown;
}

export interface Proposal {
  id: string;
  title: string;
  rules: string[];
  score: number;
  severity: Severity;
  status: ProposalStatus;
  orderCount: number;
  valueByCurrency: CurrencyValue[];
  firstOrderAt: string;
  lastOrderAt: string;
  createdAt: string;
  updatedAt: string;
  incidentId: string | null;
  dismissedReason: string | null;
  /** Only on `GET /api/proposals/:id`. */
  evidence?: EvidenceHit[];
  orderIds?: string[];
  /** Not sent by the API yet; used when it is (saves the per-row order look-up). */
  deviceCount: number;
}

export const SEVERITY_COLOR: Record<Severity, 'error' | 'warning' | 'info' | 'default'> = {
  critical: 'error',
  high: 'warning',
  medium: 'info',
  low: 'default',
};

export const STATUS_COLOR: Record<ProposalStatus, 'primary' | 'success' | 'default'> = {
  open: 'primary',
  declared: 'success',
  dismissed: 'default',
};

export const statusChoices = PROPOSAL_STATUSES.map((id) => ({ id, name: `resources.proposals.statuses.${id}` }));
export const severityChoices = SEVERITIES.map((id) => ({ id, name: `resources.proposals.severities.${id}` }));
