/**
 * The one SQL definition of "an active quarantine applies to this device".
 * The storefront decision, the order hold, the device state and the device
 * list all build on it, so they can never disagree about what is quarantined.
 *
 * Arguments are SQL expressions (columns or placeholders), never user input.
 */
export function activeQuarantine(q: string): string {
  return `(${q}.released_at IS NULL AND (${q}.expires_at IS NULL OR ${q}.expires_at > now()))`;
}

export interface DeviceExpressions {
  deviceId: string;
  model: string;
  firmware: string;
}

/** Quarantine `q` names this device, its model on its firmware, or its whole model (active or not). */
export function quarantineCovers(q: string, device: DeviceExpressions): string {
  return `((${q}.scope = 'device' AND ${q}.device_id = ${device.deviceId})
    OR (${q}.scope = 'firmware' AND ${q}.model = ${device.model} AND ${q}.firmware_version = ${device.firmware})
    OR (${q}.scope = 'model' AND ${q}.model = ${device.model}))`;
}

/** `EXISTS` an active quarantine covering the device. */
export function underActiveQuarantine(device: DeviceExpressions): string {
  return `EXISTS (SELECT 1 FROM quarantine aq WHERE ${activeQuarantine('aq')} AND ${quarantineCovers('aq', device)})`;
}
