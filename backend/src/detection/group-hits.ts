import type { IncidentSeverity } from '../incidents/incident-lifecycle.js';
import type { RuleHit } from './rules/detection-rule.js';

/** Correlated hits that together make one candidate incident. */
export interface HitGroup {
  hits: RuleHit[];
  orderIds: string[];
  /** Stable across passes, so a later pass refreshes the same proposal. */
  fingerprint: string;
}

/** Which pattern names a group, strongest first. */
const rulePriority = ['fleet-burst', 'device-velocity', 'shared-new-address', 'value-outlier'];

/**
 * Hits that share an order belong to the same incident (union-find over
 * orders); components naming the same pattern are then gathered — e.g. many
 * devices of one model spiking at once — so the queue shows one proposal per
 * pattern, not one per device.
 */
export function groupHits(hits: RuleHit[]): HitGroup[] {
  const parent = hits.map((_, index) => index);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  const union = (a: number, b: number) => {
    const [ra, rb] = [find(a), find(b)];
    if (ra !== rb) parent[rb] = ra;
  };

  const firstHitOfOrder = new Map<string, number>();
  hits.forEach((hit, index) => {
    for (const orderId of hit.orderIds) {
      const seen = firstHitOfOrder.get(orderId);
      if (seen === undefined) firstHitOfOrder.set(orderId, index);
      else union(seen, index);
    }
  });

  // Components that name the same pattern (e.g. many devices of one model spiking,
  // each with its own orders) are one proposal.
  const components = new Map<number, RuleHit[]>();
  hits.forEach((hit, index) => {
    const root = find(index);
    const list = components.get(root);
    if (list) list.push(hit);
    else components.set(root, [hit]);
  });
  const byFingerprint = new Map<string, RuleHit[]>();
  for (const componentHits of components.values()) {
    const fingerprint = fingerprintOf(componentHits);
    const list = byFingerprint.get(fingerprint);
    if (list) list.push(...componentHits);
    else byFingerprint.set(fingerprint, componentHits);
  }
  return [...byFingerprint.entries()].map(([fingerprint, groupHitsList]) => ({
    hits: groupHitsList,
    orderIds: [...new Set(groupHitsList.flatMap((hit) => hit.orderIds))].sort(),
    fingerprint,
  }));
}

function fingerprintOf(hits: RuleHit[]): string {
  const lead = [...hits].sort((a, b) => rulePriority.indexOf(a.rule) - rulePriority.indexOf(b.rule) || a.key.localeCompare(b.key))[0]!;
  return lead.groupKey ?? lead.key;
}

/** 0-100: more independent rules, more orders and stronger deviations score higher. */
export function scoreOf(group: HitGroup): number {
  const rules = new Set(group.hits.map((hit) => hit.rule)).size;
  const strongest = Math.max(...group.hits.map((hit) => hit.strength));
  const score = 20 * rules + 8 * Math.log2(group.orderIds.length + 1) + 5 * Math.log2(strongest + 1);
  return Math.min(100, Math.round(score));
}

export function severityOf(group: HitGroup): IncidentSeverity {
  const rules = new Set(group.hits.map((hit) => hit.rule)).size;
  const orders = group.orderIds.length;
  if (rules >= 3 || orders >= 100) return 'critical';
  if (rules >= 2 || orders >= 20) return 'high';
  if (orders >= 5) return 'medium';
  return 'low';
}

export function titleOf(group: HitGroup): string {
  const byRule = (rule: string) => group.hits.filter((hit) => hit.rule === rule);
  const fleet = byRule('fleet-burst');
  if (fleet.length) {
    const e = fleet[0]!.evidence as { model: string; firmwareVersion: string; sku: string };
    const devices = Math.max(...fleet.map((hit) => (hit.evidence as { devices: number }).devices));
    return `Fleet burst: ${devices} ${e.model} devices on firmware ${e.firmwareVersion} ordering ${fleet.map((h) => (h.evidence as { sku: string }).sku).join(', ')}`;
  }
  const velocity = byRule('device-velocity');
  if (velocity.length) {
    const model = (velocity[0]!.evidence as { model: string }).model;
    return velocity.length === 1
      ? `Velocity: ${(velocity[0]!.evidence as { deviceId: string }).deviceId} (${model}) ordering far above its usual rate`
      : `Velocity: ${velocity.length} ${model} devices ordering far above their usual rate`;
  }
  const address = byRule('shared-new-address');
  if (address.length) {
    const a = address[0]!.evidence as { customers: number; address: { city: string; country: string } };
    return `${a.customers} customers shipping to one new address in ${a.address.city} (${a.address.country})`;
  }
  const value = group.hits[0]!.evidence as { model: string; currency: string };
  return `${group.orderIds.length} unusually large ${value.model} orders (${value.currency})`;
}
