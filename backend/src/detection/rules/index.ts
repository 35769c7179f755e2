import type { DetectionRule } from './detection-rule.js';
import { deviceVelocityRule } from './device-velocity.rule.js';
import { fleetBurstRule } from './fleet-burst.rule.js';
import { sharedNewAddressRule } from './shared-new-address.rule.js';
import { valueOutlierRule } from './value-outlier.rule.js';

/** Every rule; the detection_rule table holds each one's switch and thresholds. */
export const detectionRules: DetectionRule[] = [
  deviceVelocityRule,
  fleetBurstRule,
  sharedNewAddressRule,
  valueOutlierRule,
] as DetectionRule[];

export function ruleById(id: string): DetectionRule | undefined {
  return detectionRules.find((rule) => rule.id === id);
}
