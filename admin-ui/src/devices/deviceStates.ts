/** Device states as the API reports them (`state`). */
export const DEVICE_STATES = ['active', 'watched', 'quarantined'] as const;

export type DeviceState = (typeof DEVICE_STATES)[number];

export const DEVICE_STATE_COLOR: Record<DeviceState, 'success' | 'warning' | 'error'> = {
  active: 'success',
  watched: 'warning',
  quarantined: 'error',
};

/** Choices for SelectInput; names are translation keys. */
export const deviceStateChoices = DEVICE_STATES.map((id) => ({ id, name: `resources.devices.states.${id}` }));
