import type { EntityManager } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { incidentReference, type IncidentStatus } from '../incidents/incident-lifecycle.js';
import { notFound, type IncidentRow } from '../incidents/incident-store.js';
import { isUuid } from '../http/is-uuid.js';
import { formatMoney } from '../money/money.js';
import { classifyRun } from './run-classification.js';
import { assessApproval, hasWork, summariseRun, type ApprovalAssessment, type RunFigures } from './run-figures.js';
import { incidentStatesForRuns, type RunAction } from './run-lifecycle.js';

/** The dry-run preview: the run's figures, whether it needs approval, and what stops it being requested now. */
export interface RunPreview extends RunFigures {
  incidentId: string;
  computedAt: string;
  approval: ApprovalAssessment;
  /** Why a run cannot be requested now; empty when it can. */
  blockers: string[];
}

const stateHints: Partial<Record<IncidentStatus, string>> = {
  declared: 'move it to triage first',
  monitoring: 'move it back to remediating first if it flared up',
  resolved: 'it is resolved',
  closed: 'it is closed',
};

/**
 * Classifies the incident's orders for the actions and summarises them (the
 * same rule planning uses), in the caller's transaction: its temporary tables
 * go with it, so a preview writes nothing.
 */
export async function computePreview(
  manager: EntityManager,
  incident: IncidentRow,
  actions: RunAction[],
  config: AppConfig,
): Promise<RunPreview> {
  const scope = { incidentId: incident.id, actions, confirmedBy: null };
  await classifyRun(manager, scope);
  const figures = await summariseRun(manager, scope, { interceptFeeEstimates: config.interceptFeeEstimates });
  const [{ now }] = await manager.query(`SELECT now() AS now`);
  return {
    incidentId: incident.id,
    computedAt: (now as Date).toISOString(),
    ...figures,
    approval: assessApproval(figures, config.refundApprovalThresholds),
    blockers: blockers(incident, figures),
  };
}

/** The incident as a preview reads it: no lock, a preview changes nothing. */
export async function readIncident(manager: EntityManager, id: string): Promise<IncidentRow> {
  if (!isUuid(id)) throw notFound(id);
  const [row] = await manager.query(
    `SELECT id, number, title, severity, status, commander_id AS "commanderId", summary FROM incident WHERE id = $1`,
    [id],
  );
  if (!row) throw notFound(id);
  return row;
}

function blockers(incident: IncidentRow, figures: RunFigures): string[] {
  const reference = incidentReference(incident.number);
  const found: string[] = [];
  if (!(incidentStatesForRuns as readonly string[]).includes(incident.status)) {
    const hint = stateHints[incident.status];
    found.push(`${reference} is ${incident.status}; runs can be requested in triage or remediating${hint ? ` (${hint})` : ''}`);
  }
  if (figures.orders.confirmed === 0) {
    const suspected = figures.orders.suspected ? ` (${figures.orders.suspected} are still suspected)` : '';
    found.push(`${reference} has no confirmed orders${suspected}: confirm the orders to act on first`);
  } else if (!hasWork(figures)) {
    found.push(`Nothing to do: for the chosen actions every confirmed order, customer and device is skipped`);
  }
  return found;
}

/** "stop 12 shipments, refund 10 orders (USD 839.60), notify 5 customers, quarantine 3 devices". */
export function describeWork(figures: RunFigures): string {
  const parts: string[] = [];
  if (figures.stop_shipment) parts.push(`stop ${figures.stop_shipment.orders} shipments`);
  if (figures.refund) {
    const totals = figures.refund.totals.map(formatMoney).join(', ');
    parts.push(`refund ${figures.refund.orders} orders${totals ? ` (${totals})` : ''}`);
  }
  if (figures.notify) parts.push(`notify ${figures.notify.customers} customers`);
  if (figures.quarantine_devices) parts.push(`quarantine ${figures.quarantine_devices.devices} devices`);
  return parts.join(', ');
}
