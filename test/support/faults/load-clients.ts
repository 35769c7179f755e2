import { fork } from 'node:child_process';
import type { Role } from '../../../backend/src/auth/roles.js';
import type { EngineStack } from '../remediation-stack.js';
import { userWithRoles } from '../users.js';
import type { LoadFigures, LoadPlan } from './load-child.js';

export type { LoadFigures } from './load-child.js';

/** What the browsing clients look at: the run's incident and run, and the lists around them. */
export interface BrowseTargets {
  incidentId: string;
  runId: string;
  model: string;
  customerId: string;
}

/** Pages every role may read (incidents, orders with filters, the run), and the ledger for finance and commanders. */
export function browsePaths(targets: BrowseTargets, role: Role): string[] {
  const { incidentId, runId, model, customerId } = targets;
  const common = [
    '/api/incidents',
    '/api/incidents?status=remediating&_sort=severity&_order=DESC',
    `/api/incidents/${incidentId}`,
    `/api/incidents/${incidentId}/orders?_perPage=50`,
    `/api/incidents/${incidentId}/timeline`,
    '/api/orders?_perPage=25',
    `/api/orders?model=${encodeURIComponent(model)}&fulfilmentState=in_transit&_sort=totalMinor&_order=DESC`,
    `/api/orders?incidentId=${incidentId}&_page=3&_perPage=50`,
    `/api/orders?customerId=${customerId}`,
    `/api/runs?incidentId=${incidentId}`,
    `/api/runs/${runId}`,
    `/api/runs/${runId}/steps?status=succeeded&_perPage=100`,
  ];
  const ledger = [`/api/incidents/${incidentId}/ledger/tally`, `/api/incidents/${incidentId}/ledger?_perPage=50`];
  return role === 'support_agent' ? common : [...common, ...ledger];
}

export interface BrowsingSession {
  token: string;
  role: Role;
}

/** Signs in `count` users, one session each; roles in turn: finance, incident commander, support agent. */
export async function browsingSessions(stack: EngineStack, count: number): Promise<BrowsingSession[]> {
  const roles: Role[] = ['finance', 'incident_commander', 'support_agent'];
  const sessions: BrowsingSession[] = [];
  for (let i = 0; i < count; i++) {
    const role = roles[i % roles.length]!;
    sessions.push({ token: (await userWithRoles(stack.api, [role])).token, role });
  }
  return sessions;
}

/** Each session with the pages its role may browse. */
export function browsingClients(sessions: BrowsingSession[], targets: BrowseTargets): LoadPlan['clients'] {
  return sessions.map(({ token, role }) => ({ token, paths: browsePaths(targets, role) }));
}

/** Runs the load in a child process (TypeScript through the same SWC loader as the benches) and resolves with its figures. */
export function runBrowsingLoad(plan: LoadPlan): Promise<LoadFigures> {
  const child = fork(new URL('./load-child.ts', import.meta.url).pathname, [], {
    execArgv: ['--import', '@swc-node/register/esm-register'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const bound = setTimeout(() => child.kill('SIGKILL'), (plan.durationSeconds + plan.timeoutSeconds + 60) * 1000);
  return new Promise((resolve, reject) => {
    child.once('message', (figures) => resolve(figures as LoadFigures));
    child.once('exit', (code, signal) => {
      clearTimeout(bound);
      reject(new Error(`load client exited (${code ?? signal}) without figures`));
    });
    child.send(plan);
  });
}
