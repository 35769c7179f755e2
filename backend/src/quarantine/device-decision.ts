import type { QuarantineScope } from './quarantine.entity.js';

/** What the storefront learns before it accepts an order from a device. */
export interface DeviceDecision {
  deviceId: string;
  decision: 'allow' | 'deny';
  reason: string;
  quarantineId?: string;
  scope?: QuarantineScope;
  expiresAt?: string;
}

/** An active quarantine that covers the device (by id, its model and firmware, or its model). */
export interface MatchedQuarantine {
  id: string;
  scope: QuarantineScope;
  reason: string;
  model: string | null;
  firmwareVersion: string | null;
  expiresAt: Date | null;
}

export interface DecisionInput {
  deviceId: string;
  /** False when the platform has never sent an order from this device. */
  known: boolean;
  /** Every active quarantine covering the device as stored, or the model/firmware the storefront reported. */
  matches: MatchedQuarantine[];
}

const specificity: Record<QuarantineScope, number> = { device: 0, firmware: 1, model: 2 };

/**
 * The one answer to "may this device order?". Any active quarantine denies;
 * the most specific one is reported (device before firmware before model),
 * and among equals the one that lasts longest, so the answer names what will
 * still hold the device. `validUntil` is the earliest expiry the answer
 * depends on: a cached copy must not outlive it.
 */
export function decideDevice(input: DecisionInput): { decision: DeviceDecision; validUntil: number } {
  const { deviceId, matches } = input;
  if (matches.length === 0) {
    const reason = input.known ? 'no active quarantine' : 'unknown device';
    return { decision: { deviceId, decision: 'allow', reason }, validUntil: Infinity };
  }
  const expiry = (q: MatchedQuarantine) => q.expiresAt?.getTime() ?? Infinity;
  const [chosen] = [...matches].sort((a, b) => specificity[a.scope] - specificity[b.scope] || expiry(b) - expiry(a));
  const q = chosen!;
  const target = q.scope === 'device' ? 'device' : q.scope === 'firmware' ? `firmware ${q.model} ${q.firmwareVersion}` : `model ${q.model}`;
  const decision: DeviceDecision = {
    deviceId,
    decision: 'deny',
    reason: `${target} quarantined: ${q.reason}`,
    quarantineId: q.id,
    scope: q.scope,
  };
  if (q.expiresAt) decision.expiresAt = q.expiresAt.toISOString();
  return { decision, validUntil: Math.min(...matches.map(expiry)) };
}
