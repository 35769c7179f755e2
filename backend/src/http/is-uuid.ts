const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Route ids are checked before they reach PostgreSQL, which would otherwise
 * answer a malformed uuid with an error instead of "not found".
 */
export function isUuid(value: string): boolean {
  return uuidPattern.test(value);
}

/** A uuid from outside (a refund's metadata, a drill-down reference), or null: anything else is not one of ours. */
export function uuidOrNull(value: string | null | undefined): string | null {
  return value && isUuid(value) ? value : null;
}
