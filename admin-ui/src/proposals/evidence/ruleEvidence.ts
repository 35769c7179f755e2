import type { ComponentType } from 'react';
import type { RaRecord } from 'react-admin';
import type { EvidenceHit } from '../types';
import { deviceVelocity } from './DeviceVelocityEvidence';
import { fleetBurst } from './FleetBurstEvidence';
import { sharedNewAddress } from './SharedNewAddressEvidence';
import { valueOutlier } from './ValueOutlierEvidence';

/** What the UI knows of one detection rule's evidence (one file per rule beside this one). */
export interface RuleEvidence {
  /** The rule's facts and its measured-vs-baseline comparison. */
  Details: ComponentType<{ hit: EvidenceHit }>;
  /** Is the order one the hit is about? Matched on what its evidence names. */
  isOrderOf(hit: EvidenceHit, order: RaRecord): boolean;
  /** Its strength is measured against a threshold rather than a baseline. */
  overThreshold?: boolean;
}

const byRule = new Map<string, RuleEvidence>([
  ['device-velocity', deviceVelocity],
  ['fleet-burst', fleetBurst],
  ['shared-new-address', sharedNewAddress],
  ['value-outlier', valueOutlier],
]);

/** Undefined for a rule the UI does not know: its evidence shows as JSON. */
export const ruleEvidence = (rule: string): RuleEvidence | undefined => byRule.get(rule);

/** The proposal's orders that a hit is about. */
export function ordersOfHit(hit: EvidenceHit, orders: RaRecord[]): RaRecord[] {
  const evidence = ruleEvidence(hit.rule);
  return evidence ? orders.filter((order) => evidence.isOrderOf(hit, order)) : [];
}
