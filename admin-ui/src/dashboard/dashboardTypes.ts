/**
 * The landing dashboards as the API reports them (backend/src/dashboard/).
 * Money is integer minor units per currency; nothing is added up here.
 */
import type { LedgerCategory } from '../ledger/ledgerTypes';

export type Section = 'agent' | 'finance' | 'commander' | 'admin';
export const SECTIONS: readonly Section[] = ['agent', 'commander', 'finance', 'admin'];

export interface CurrencyAmount {
  currency: string;
  orders?: number;
  amountMinor: number;
}

export interface AgentDashboard {
  proposals: {
    open: number;
    bySeverity: Record<string, number>;
    top: {
      id: string;
      title: string;
      severity: string;
      score: number;
      orderCount: number;
      deviceCount: number;
      valueByCurrency: { currency: string; totalMinor: number }[];
      createdAt: string;
    }[];
  };
  runsToRetry: {
    runs: number;
    failedSteps: number;
    top: {
      id: string;
      reference: string;
      status: string;
      incidentId: string;
      incidentReference: string;
      incidentTitle: string;
      failedSteps: number;
      lastFailedAt: string;
    }[];
  };
}

export interface FinanceDashboard {
  signConvention: string;
  currencies: {
    currency: string;
    costMinor: number;
    recoveredMinor: number;
    netLossMinor: number;
    entries: number;
    incidents: number;
    topCategories: { category: LedgerCategory; amountMinor: number }[];
    topIncidents: {
      incidentId: string;
      reference: string;
      title: string;
      status: string;
      costMinor: number;
      recoveredMinor: number;
      netLossMinor: number;
    }[];
  }[];
}

export interface CommanderDashboard {
  openIncidents: {
    total: number;
    byStatus: Record<string, number>;
    top: {
      id: string;
      reference: string;
      title: string;
      severity: string;
      status: string;
      declaredAt: string;
      orders: { confirmed: number; suspected: number; handled: number; failed: number };
      money: { currency: string; refundedMinor: number; netLossMinor: number }[];
    }[];
  };
  awaitingMyApproval: {
    total: number;
    runs: {
      id: string;
      reference: string;
      incidentId: string;
      incidentReference: string;
      incidentTitle: string;
      actions: string[];
      reason: string;
      requestedByEmail: string;
      requestedAt: string;
      refundTotals: CurrencyAmount[] | null;
    }[];
  };
}

export interface AdminDashboard {
  users: {
    total: number;
    active: number;
    signedInLast7Days: number;
    activeByRole: Record<string, number>;
    recent: { id: string; email: string; fullName: string; roles: string[]; active: boolean; createdAt: string }[];
  };
  detectionRules: { id: string; title: string; enabled: boolean; thresholds: Record<string, number>; updatedAt: string }[];
  queueBoard: { path: string };
}

/** `GET /api/queue-board`. */
export interface QueueBoardSummary {
  path: string;
  readOnly: boolean;
  queues: { key: string; name: string; paused: boolean; counts: Record<string, number> }[];
}
