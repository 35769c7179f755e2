import { cancelShipment, interceptShipment, returnShipment, voidLabel } from './resources/actions.js';
import type { Endpoint } from './resources/context.js';
import { listShipments, registerShipment, retrieveShipment } from './resources/shipments.js';

interface Route {
  method: 'GET' | 'POST';
  pattern: string;
  endpoint: Endpoint;
  /** Shipment actions move money: they are refused without an Idempotency-Key. */
  requiresIdempotencyKey?: boolean;
}

/** The documented API (docs/fulfilment-api.md); anything else is 404 unknown_route. */
const routes: Route[] = [
  { method: 'POST', pattern: '/v1/shipments', endpoint: registerShipment },
  { method: 'GET', pattern: '/v1/shipments', endpoint: listShipments },
  { method: 'GET', pattern: '/v1/shipments/:reference', endpoint: retrieveShipment },
  { method: 'POST', pattern: '/v1/shipments/:reference/cancel', endpoint: cancelShipment, requiresIdempotencyKey: true },
  { method: 'POST', pattern: '/v1/shipments/:reference/void-label', endpoint: voidLabel, requiresIdempotencyKey: true },
  { method: 'POST', pattern: '/v1/shipments/:reference/intercept', endpoint: interceptShipment, requiresIdempotencyKey: true },
  { method: 'POST', pattern: '/v1/shipments/:reference/return', endpoint: returnShipment, requiresIdempotencyKey: true },
];

export function matchRoute(method: string, path: string): { route: Route; pathParams: Record<string, string> } | undefined {
  const segments = path.replace(/\/+$/, '').split('/');
  for (const route of routes) {
    if (route.method !== method) continue;
    const pattern = route.pattern.split('/');
    if (pattern.length !== segments.length) continue;
    const pathParams: Record<string, string> = {};
    const matches = pattern.every((part, index) => {
      if (!part.startsWith(':')) return part === segments[index];
      const value = safeDecode(segments[index]!);
      pathParams[part.slice(1)] = value;
      return value !== '';
    });
    if (matches) return { route, pathParams };
  }
  return undefined;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
