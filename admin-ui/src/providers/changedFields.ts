function sameValue(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  // Records are plain JSON, so a structural comparison via JSON is enough.
  if (typeof a === 'object' && typeof b === 'object' && a !== null && b !== null) {
    return JSON.stringify(a) === JSON.stringify(b);
  }
  return false;
}

/**
 * Only the fields the user changed: PATCH bodies stay minimal so the audit log
 * records real changes and the server never sees read-only fields (id, dates).
 */
export function changedFields(data: Record<string, unknown>, previousData: Record<string, unknown> | undefined): Record<string, unknown> {
  if (!previousData) return { ...data };
  const diff: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) {
    if (!sameValue(value, previousData[key])) diff[key] = value;
  }
  return diff;
}
