/**
 * Remediation runs as the API reports them (backend/src/remediation/: run-lifecycle.ts,
 * run-figures.ts, run-report.ts, runs-query.service.ts). Money is always integer
 * minor units + currency, never summed across currencies.
 */
export const RUN_ACTIONS = ['stop_shipment', 'refund', 'notify', 'quarantine_devices'] as const;
export type RunAction = (typeof RUN_ACTIONS)[number];

export const RUN_STATUSES = [
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
export type RunStatus = (typeof RUN_STATUSES)[number];

/** Nothing more happens to a run in these states (a completed run may still be reopened by a retry). */
export const FINAL_RUN_STATUSES: readonly RunStatus[] = ['rejected', 'cancelled', 'completed'];
export const isFinalRun = (status: RunStatus | undefined) => !status || FINAL_RUN_STATUSES.includes(status);

/** States in which the engine is moving: the run page polls every 2 s. */
export const MOVING_RUN_STATUSES: readonly RunStatus[] = ['queued', 'planning', 'running', 'cancelling'];

export type RunControl = 'approve' | 'reject' | 'pause' | 'resume' | 'cancel' | 'retry';

/** The permission-matrix action behind each control (backend/src/auth/permission-matrix.ts). */
export const CONTROL_PERMISSION: Record<RunControl, 'approve' | 'control'> = {
  approve: 'approve',
  reject: 'approve',
  pause: 'control',
  resume: 'control',
  cancel: 'control',
  retry: 'control',
};

export type StepOperation = 'cancel' | 'void_label' | 'intercept' | 'request_return' | 'refund';
export const STOP_OPERATIONS = ['cancel', 'void_label', 'intercept', 'request_return'] as const;

export interface Money {
  currency: string;
  amountMinor: number;
}

export interface CurrencyAmount extends Money {
  orders: number;
}

export interface ReasonCount {
  reason: string;
  count: number;
}

/**
 * An intercept fee the preview expects for one currency: the configured fee per parcel
 * (INTERCEPT_FEE_ESTIMATES) times the parcels. The carrier names the real fee only when it
 * intercepts, so this is always labelled estimated; null when no estimate is configured.
 */
export interface EstimatedFee {
  currency: string;
  orders: number;
  perOrderMinor: number | null;
  amountMinor: number | null;
  estimated: true;
}

/** The dry-run preview's figures (also the plan's). */
export interface RunFigures {
  actions: RunAction[];
  orders: { confirmed: number; excluded: number; suspected: number; confirmedAfterRequest: number };
  stop_shipment?: {
    orders: number;
    byOperation: {
      operation: StepOperation;
      fulfilmentState: string;
      orders: number;
      labelCredit: Money[];
      /** On the intercept row only (absent in runs previewed before fees were estimated). */
      interceptFee?: EstimatedFee[];
    }[];
    skipped: ReasonCount[];
  };
  refund?: {
    orders: number;
    totals: CurrencyAmount[];
    byFulfilmentState: (CurrencyAmount & { fulfilmentState: string })[];
    skipped: ReasonCount[];
  };
  notify?: { customers: number; orders: number; skipped: ReasonCount[] };
  quarantine_devices?: { devices: number; ordersWithoutDevice: number; skipped: ReasonCount[] };
  skippedSample: { orderId: string; externalId: string; action: string; reason: string }[];
}

export interface ApprovalAssessment {
  required: boolean;
  over: { currency: string; amountMinor: number; thresholdMinor: number | null }[];
}

/** `POST /api/incidents/:id/runs/preview`; stored on the run as `preview`. */
export interface RunPreview extends RunFigures {
  incidentId: string;
  computedAt: string;
  approval: ApprovalAssessment;
  /** Why a run cannot be requested now; empty when it can. */
  blockers: string[];
}

export interface ActionProgress {
  action: RunAction;
  unit: 'orders' | 'customers' | 'devices';
  total: number;
  done: number;
  failed: number;
  skipped: number;
  cancelled: number;
  inFlight: number;
  pending: number;
  ratePerSecond: number;
  etaSeconds: number | null;
}

/** Per currency: the intercept fee the preview estimated beside the fees the carrier charged. */
export interface InterceptFeeLine {
  currency: string;
  estimated: { orders: number; amountMinor: number | null; perOrderMinor: number | null } | null;
  charged: { orders: number; amountMinor: number };
}

export interface RunReport {
  outcome: 'completed' | 'cancelled';
  finishedAt: string;
  figures: { figure: string; preview: number; planned: number; executed: number }[];
  differences: { figure: string; preview: number; executed: number }[];
  matchesPreview: boolean;
  /** Absent in reports written before fees were reported. */
  fees?: { intercept: InterceptFeeLine[] };
  executed?: {
    /** Follow-up notices (a refund the notice reported failed later): apart from the customers notified. */
    notify?: { followUps?: { sent: number; failed: number; open: number } };
  };
  summary: string;
}

/** A list row (`GET /api/runs`). */
export interface RunRow {
  id: string;
  number: number;
  reference: string;
  incidentId: string;
  incidentNumber: number;
  incidentReference: string;
  incidentTitle: string;
  actions: RunAction[];
  status: RunStatus;
  reason: string;
  approvalRequired: boolean;
  requestedBy: string;
  requestedByEmail: string;
  requestedAt: string;
  decidedBy: string | null;
  decidedByEmail: string | null;
  decidedAt: string | null;
  decisionReason: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  updatedAt: string;
  allowedControls: RunControl[];
  refundTotals?: CurrencyAmount[] | null;
  steps?: { total: number; done: number; failed: number; skipped: number; cancelled?: number; open: number } | null;
}

/** One run (`GET /api/runs/:id`). */
export interface Run extends RunRow {
  preview: RunPreview;
  plan: RunFigures | null;
  report: RunReport | null;
  progress: ActionProgress[];
}

/** `GET /api/runs/:id/steps`. */
export interface RunStep {
  id: string;
  runId: string;
  orderId: string;
  externalId: string;
  customerId: string;
  fulfilmentState: string;
  action: 'stop_shipment' | 'refund';
  operation: StepOperation | null;
  status: string;
  amountMinor: number | null;
  currency: string | null;
  attempts: number;
  providerRef: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  finishedAt: string | null;
  updatedAt: string;
}

export const NOTICE_STATUSES = ['pending', 'sending', 'sent', 'failed', 'cancelled'] as const;
export type NoticeStatus = (typeof NOTICE_STATUSES)[number];

/** `GET /api/runs/:id/notices`: one row of the run's outbox. */
export interface RunNotice {
  id: string;
  runId: string;
  customerId: string;
  customerName: string | null;
  template: 'incident_notice' | 'refund_failed' | string;
  status: NoticeStatus;
  toAddress: string | null;
  subject: string | null;
  /** `<uuid@domain>`: the header the mail carries, and how the mail sink finds it. */
  messageId: string;
  attempts: number;
  errorMessage: string | null;
  sentAt: string | null;
  createdAt: string;
  updatedAt: string;
}

type ChipColor = 'default' | 'primary' | 'secondary' | 'error' | 'info' | 'success' | 'warning';

export const RUN_STATUS_COLOR: Record<RunStatus, ChipColor> = {
  awaiting_approval: 'warning',
  rejected: 'default',
  queued: 'info',
  planning: 'info',
  running: 'info',
  paused: 'warning',
  cancelling: 'error',
  cancelled: 'default',
  completed: 'success',
};

/** Waiting and winding-down states are drawn as outlines; the ones that matter most are filled. */
export const RUN_STATUS_OUTLINED: readonly RunStatus[] = ['rejected', 'queued', 'planning', 'paused', 'cancelling', 'cancelled'];

export const NOTICE_STATUS_COLOR: Record<NoticeStatus, ChipColor> = {
  pending: 'info',
  sending: 'info',
  sent: 'success',
  failed: 'error',
  cancelled: 'default',
};

export const runStatusChoices = RUN_STATUSES.map((id) => ({ id, name: `resources.runs.statuses.${id}` }));
