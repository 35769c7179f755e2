import { roles, type Role } from './roles.js';

export interface Permission {
  /** Who may do it. A user with any of these roles is allowed. */
  roles: readonly Role[];
  /** Bulk actions and anything that moves money carry a written reason into the audit log. */
  reason: 'required' | 'optional' | 'none';
  description: string;
}

const everyone = roles;

/**
 * THE permission matrix: every action a signed-in user can take, and who may.
 * A route names its action with `@Permission('…')`; a route with no access
 * declaration is refused (and fails the route-inventory test). The admin UI's
 * `canAccess` reads the same table through `GET /api/auth/me`, whose action
 * names follow react-admin: `<resource>.<list|show|create|edit|delete|export|custom>`.
 */
export const permissionMatrix = {
  'auth.me': { roles: everyone, reason: 'none', description: 'See who I am and what I may do' },
  'auth.logout': { roles: everyone, reason: 'none', description: 'Sign out (revokes the session)' },
  'auth.change-password': { roles: everyone, reason: 'none', description: 'Change my own password' },
  'auth.matrix': { roles: everyone, reason: 'none', description: 'Read the permission matrix' },

  'users.list': { roles: ['admin'], reason: 'none', description: 'List users' },
  'users.show': { roles: ['admin'], reason: 'none', description: 'See a user' },
  'users.create': { roles: ['admin'], reason: 'optional', description: 'Create a user' },
  'users.edit': { roles: ['admin'], reason: 'optional', description: 'Change a user’s name, roles, active flag or password' },

  'audit-log.list': { roles: ['admin', 'finance', 'incident_commander'], reason: 'none', description: 'Browse the audit log' },
  'audit-log.show': { roles: ['admin', 'finance', 'incident_commander'], reason: 'none', description: 'See one audit entry' },

  'orders.list': { roles: everyone, reason: 'none', description: 'Browse and filter orders' },
  'orders.show': { roles: everyone, reason: 'none', description: 'See an order with its lines, payment and fulfilment' },
  'orders.import': {
    roles: ['support_agent', 'incident_commander', 'admin'],
    reason: 'optional',
    description: 'Import orders from a CSV file (preview first)',
  },
  'devices.list': { roles: everyone, reason: 'none', description: 'Browse devices' },
  'devices.show': { roles: everyone, reason: 'none', description: 'See a device and its orders' },
  'customers.list': { roles: everyone, reason: 'none', description: 'Browse customers' },
  'customers.show': { roles: everyone, reason: 'none', description: 'See a customer with devices and orders' },

  'proposals.list': {
    roles: ['support_agent', 'incident_commander', 'admin'],
    reason: 'none',
    description: 'See detection proposals and their evidence',
  },
  'proposals.show': {
    roles: ['support_agent', 'incident_commander', 'admin'],
    reason: 'none',
    description: 'See one proposal with its orders',
  },
  'proposals.run': { roles: ['incident_commander', 'admin'], reason: 'none', description: 'Run a detection pass now' },
  'proposals.dismiss': {
    roles: ['support_agent', 'incident_commander', 'admin'],
    reason: 'required',
    description: 'Dismiss a proposal as not an incident',
  },
  'detection-rules.list': { roles: ['incident_commander', 'admin'], reason: 'none', description: 'See detection rules and thresholds' },
  'detection-rules.edit': { roles: ['admin'], reason: 'optional', description: 'Change a rule’s thresholds or switch it off' },

  'incidents.list': { roles: everyone, reason: 'none', description: 'Browse incidents' },
  'incidents.show': { roles: everyone, reason: 'none', description: 'See an incident: figures, orders, timeline, devices, summary' },
  'incidents.create': {
    roles: ['incident_commander', 'admin'],
    reason: 'optional',
    description: 'Declare an incident (from a proposal or an order filter)',
  },
  'incidents.edit': {
    roles: ['incident_commander', 'admin'],
    reason: 'optional',
    description: 'Change title, severity, commander or lifecycle state',
  },
  'incidents.post-update': {
    roles: ['support_agent', 'incident_commander', 'admin'],
    reason: 'none',
    description: 'Write a status update on the timeline',
  },
  'incidents.members': {
    roles: ['support_agent', 'incident_commander', 'admin'],
    reason: 'required',
    description: 'Suspect, confirm or exclude orders (one, a selection, or all matching a filter)',
  },

  'quarantines.list': { roles: everyone, reason: 'none', description: 'See device, firmware and model quarantines' },
  'quarantines.show': { roles: everyone, reason: 'none', description: 'See one quarantine: its decision, who made it, what it covers' },
  'quarantines.create': {
    roles: ['incident_commander', 'admin'],
    reason: 'required',
    description: 'Quarantine a device, a firmware version or a model',
  },
  'quarantines.release': { roles: ['incident_commander', 'admin'], reason: 'required', description: 'Release a quarantine' },

  'runs.list': {
    roles: ['support_agent', 'incident_commander', 'finance', 'admin'],
    reason: 'none',
    description: 'Browse remediation runs',
  },
  'runs.show': {
    roles: ['support_agent', 'incident_commander', 'finance', 'admin'],
    reason: 'none',
    description: 'See a run: its preview, live progress per action, steps and report',
  },
  'runs.preview': {
    roles: ['support_agent', 'incident_commander'],
    reason: 'none',
    description: 'Dry-run a remediation of an incident’s confirmed orders (changes nothing)',
  },
  'runs.create': {
    roles: ['support_agent', 'incident_commander'],
    reason: 'required',
    description: 'Request a remediation run (stop shipments, refund, notify, quarantine devices)',
  },
  'runs.approve': {
    roles: ['incident_commander'],
    reason: 'required',
    description: 'Approve or reject a run above the refund threshold (never one you requested)',
  },
  'runs.control': {
    roles: ['support_agent', 'incident_commander'],
    reason: 'required',
    description: 'Pause, resume or cancel a run, or retry its failed steps',
  },
  'runs.notices': {
    roles: ['support_agent', 'incident_commander', 'finance', 'admin'],
    reason: 'none',
    description: 'See a run’s customer notices: status, recipient, subject, when sent, the last error',
  },
  'runs.retry-notices': {
    roles: ['support_agent', 'incident_commander'],
    reason: 'required',
    description: 'Send a run’s failed customer notices again (same Message-ID)',
  },

  'ledger.show': {
    roles: ['finance', 'incident_commander', 'admin'],
    reason: 'none',
    description: 'See an incident’s loss ledger: tally per currency and category, recovery over time, entries',
  },
  'finance-report.show': {
    roles: ['finance', 'incident_commander', 'admin'],
    reason: 'none',
    description: 'See the loss of every incident in a date range, per currency and category',
  },
  'finance-report.export': {
    roles: ['finance', 'incident_commander', 'admin'],
    reason: 'none',
    description: 'Download the ledger entries of a date range as CSV (the export is audited)',
  },
  'reconciliations.list': {
    roles: ['finance', 'incident_commander', 'admin'],
    reason: 'none',
    description: 'See an incident’s reconciliation reports: its refunds against the payment provider’s',
  },
  'reconciliations.create': {
    roles: ['finance', 'incident_commander'],
    reason: 'optional',
    description: 'Reconcile an incident’s refunds with the payment provider (reads the provider; moves no money)',
  },

  'system.queue-check': { roles: ['admin'], reason: 'none', description: 'Send a check job through the queues' },
  'queue-board.show': {
    roles: ['admin'],
    reason: 'none',
    description: 'See the job queues: depths per state, and the read-only queue dashboard (Bull Board) at /admin/queues',
  },

  'dashboard.agent': {
    roles: ['support_agent'],
    reason: 'none',
    description: 'Landing dashboard: proposals to triage, runs with failed steps',
  },
  'dashboard.finance': {
    roles: ['finance'],
    reason: 'none',
    description: 'Landing dashboard: net loss per currency, top incidents by loss',
  },
  'dashboard.commander': {
    roles: ['incident_commander'],
    reason: 'none',
    description: 'Landing dashboard: open incidents with recovery progress, runs awaiting my approval',
  },
  'dashboard.admin': { roles: ['admin'], reason: 'none', description: 'Landing dashboard: users, detection thresholds, queues' },
} as const satisfies Record<string, Permission>;

export type Action = keyof typeof permissionMatrix;

export function isAction(value: string): value is Action {
  return Object.hasOwn(permissionMatrix, value);
}

export function mayPerform(userRoles: readonly Role[], action: Action): boolean {
  const allowed: readonly Role[] = permissionMatrix[action].roles;
  return userRoles.some((role) => allowed.includes(role));
}

export function allowedActions(userRoles: readonly Role[]): Action[] {
  return (Object.keys(permissionMatrix) as Action[]).filter((action) => mayPerform(userRoles, action));
}
