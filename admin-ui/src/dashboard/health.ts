import { http } from '../providers/http';

export type CheckStatus = 'ok' | 'warn' | 'error';
export type OverallStatus = 'ok' | 'degraded' | 'error';

/** `GET /api/health` */
export interface Health {
  status: OverallStatus;
  checks: Record<string, { status: CheckStatus; detail?: string }>;
}

function isHealth(value: unknown): value is Health {
  return typeof value === 'object' && value !== null && 'status' in value && 'checks' in value;
}

/**
 * A failing dependency may make the API answer 503 with the same body; that
 * body is exactly what the card must show, so it is not treated as an error.
 */
export async function fetchHealth(signal?: AbortSignal): Promise<Health> {
  try {
    const { json } = await http<Health>('/api/health', { signal });
    return json;
  } catch (error) {
    const body = (error as { body?: unknown }).body;
    if (isHealth(body)) return body;
    throw error;
  }
}
