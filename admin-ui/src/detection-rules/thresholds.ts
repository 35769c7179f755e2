import { maxValue, minValue, number, required, type Validator } from 'react-admin';

/**
 * Allowed range of each threshold, the same as the rules' own schemas on the
 * server (backend/src/detection/rules/*.rule.ts, `threshold(min, max, integer)`).
 * The server stays the judge: its 400 field errors show under the same inputs.
 */
export const THRESHOLD_RANGES: Record<string, { min: number; max: number; integer: boolean }> = {
  windowHours: { min: 1, max: 24 * 14, integer: true },
  baselineDays: { min: 7, max: 365, integer: true },
  minOrders: { min: 2, max: 1000, integer: true },
  minDevices: { min: 2, max: 100000, integer: true },
  minCustomers: { min: 2, max: 10000, integer: true },
  minBaselineOrders: { min: 5, max: 100000, integer: true },
  factor: { min: 1.5, max: 1000, integer: false },
};

const wholeNumber: Validator = (value) =>
  value === null || value === undefined || value === '' || Number.isInteger(Number(value))
    ? undefined
    : 'resources.detection-rules.validation.whole_number';

export function thresholdValidators(name: string): Validator[] {
  const range = THRESHOLD_RANGES[name];
  if (!range) return [required(), number()];
  return [required(), number(), minValue(range.min), maxValue(range.max), ...(range.integer ? [wholeNumber] : [])];
}

/** Threshold names in a stable, readable order (the window first, then the baseline, then the bars). */
const ORDER = ['windowHours', 'baselineDays', 'minOrders', 'minDevices', 'minCustomers', 'minBaselineOrders', 'factor'];
export const sortThresholds = (names: string[]) =>
  [...names].sort((a, b) => (ORDER.indexOf(a) + 1 || 99) - (ORDER.indexOf(b) + 1 || 99) || a.localeCompare(b));
