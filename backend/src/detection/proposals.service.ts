import { Injectable, NotImplementedException } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

export type Severity = 'critical' | 'high' | 'medium' | 'low';

/** What the incidents module needs to declare an incident from a proposal. */
export interface ProposalForDeclaration {
  id: string;
  title: string;
  suggestedSeverity: Severity;
  /** The orders the proposal's evidence names; they join the incident as suspected. */
  orderIds: string[];
  /** When the first order of the pattern was placed (for time-to-detect). */
  firstOrderAt: Date;
  /** When detection proposed it. */
  proposedAt: Date;
  evidence: unknown;
}

/**
 * Detection proposals: correlated rule hits grouped into candidate incidents.
 * (Being written; the incidents module codes against this contract.)
 */
@Injectable()
export class ProposalsService {
  /** 404 for an unknown id, 409 when the proposal is no longer open (declared or dismissed). */
  async getForDeclaration(_id: string, _manager?: EntityManager): Promise<ProposalForDeclaration> {
    throw new NotImplementedException('proposals are being built');
  }

  /** Marks the proposal declared as `incidentId`, in the caller's transaction. */
  async markDeclared(_manager: EntityManager, _proposalId: string, _incidentId: string): Promise<void> {
    throw new NotImplementedException('proposals are being built');
  }
}
