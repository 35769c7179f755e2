type FilterValue = unknown;

function appendValue(params: URLSearchParams, key: string, value: FilterValue): void {
  // Empty filter inputs mean "no filter", not "match empty string".
  if (value === undefined || value === null || value === '') return;
  if (Array.isArray(value)) {
    for (const item of value) appendValue(params, key, item);
    return;
  }
  if (value instanceof Date) {
    params.append(key, value.toISOString());
    return;
  }
  if (typeof value === 'object') {
    // The API has flat query keys only; a nested filter is a programming error.
    throw new Error(`Filter "${key}" must be a scalar or an array of scalars`);
  }
  params.append(key, String(value));
}

/**
 * Encodes filters as repeated query keys (`role=a&role=b`), the convention the
 * backend's list endpoints parse.
 */
export function toSearchParams(entries: Record<string, FilterValue>): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(entries)) appendValue(params, key, value);
  return params;
}
