/** `GET /api/quarantines` rows (backend/src/quarantine/quarantines-query.service.ts). */
export const QUARANTINE_SCOPES = ['device', 'firmware', 'model'] as const;
export type QuarantineScope = (typeof QUARANTINE_SCOPES)[number];

/** Why a quarantine applies or not: `active`, or no longer (`expired`, `released`). */
export const QUARANTINE_STATUSES = ['active', 'expired', 'released'] as const;
export type QuarantineStatus = (typeof QUARANTINE_STATUSES)[number];

export interface Quarantine {
  id: string;
  scope: QuarantineScope;
  deviceId: string | null;
  model: string | null;
  firmwareVersion: string | null;
  reason: string;
  incidentId: string | null;
  createdBy: string | null;
  createdByEmail: string | null;
  createdAt: string;
  expiresAt: string | null;
  releasedAt: string | null;
  releasedBy: string | null;
  releasedByEmail: string | null;
  releaseReason: string | null;
  active: boolean;
  status: QuarantineStatus;
  /** Only on `GET /api/quarantines/:id` and the create/release answers. */
  devicesNamed?: number;
}

export const SCOPE_COLOR: Record<QuarantineScope, 'default' | 'warning' | 'error'> = {
  device: 'default',
  firmware: 'warning',
  model: 'error',
};

export const STATUS_COLOR: Record<QuarantineStatus, 'error' | 'default'> = {
  active: 'error',
  expired: 'default',
  released: 'default',
};

export const scopeChoices = QUARANTINE_SCOPES.map((id) => ({ id, name: `resources.quarantines.scopes.${id}` }));
export const activeChoices = [
  { id: 'true', name: 'resources.quarantines.filters.active_only' },
  { id: 'false', name: 'resources.quarantines.filters.inactive_only' },
];

/** The devices list filter that selects what a quarantine names (exact model / firmware match, like the server). */
export function devicesFilterOf(target: {
  scope?: string;
  deviceId?: string | null;
  model?: string | null;
  firmwareVersion?: string | null;
}) {
  switch (target.scope) {
    case 'device':
      return target.deviceId ? { id: [target.deviceId] } : undefined;
    case 'firmware':
      return target.model && target.firmwareVersion ? { model: target.model, firmware: target.firmwareVersion } : undefined;
    case 'model':
      return target.model ? { model: target.model } : undefined;
    default:
      return undefined;
  }
}

/** `/quarantines/create` pre-filled through react-admin's `?source=` (survives a reload). */
export const quarantineCreatePath = (prefill: Record<string, unknown>) =>
  `/quarantines/create?source=${encodeURIComponent(JSON.stringify(prefill))}`;
