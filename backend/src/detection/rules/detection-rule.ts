import type { EntityManager } from 'typeorm';
import type { z } from 'zod';

/** One rule's finding: which orders, and the evidence a person needs to judge it. */
export interface RuleHit {
  rule: string;
  /** Identifies the pattern across passes (same device, same fleet and SKU, same address). */
  key: string;
  orderIds: string[];
  /** How far over its baseline, for scoring; ≥ 1. */
  strength: number;
  summary: string;
  evidence: Record<string, unknown>;
  /** Groups hits that belong together even when they share no order (e.g. a fleet's devices). */
  groupKey?: string;
}

/**
 * A detection rule: one set-based SQL pass over recent orders compared with a
 * baseline of the same entity's own history. Thresholds are validated by the
 * rule's own schema (ranges included) before they are stored.
 */
export interface DetectionRule<T extends Record<string, number> = Record<string, number>> {
  id: string;
  title: string;
  description: string;
  thresholdsSchema: z.ZodType<T>;
  detect(manager: EntityManager, thresholds: T, now: Date): Promise<RuleHit[]>;
}
