import Chip from '@mui/material/Chip';
import { useFieldValue, useTranslate, type FieldProps } from 'react-admin';
import { DEVICE_STATE_COLOR, type DeviceState } from './deviceStates';

/** Device state as a chip: quarantined is red, watched amber. Unknown states show their raw id. */
export function DeviceStateField({ source = 'state', record }: Partial<FieldProps>) {
  const state = useFieldValue({ source, record }) as string | undefined | null;
  const translate = useTranslate();
  if (!state) return null;
  return (
    <Chip
      size="small"
      color={DEVICE_STATE_COLOR[state as DeviceState] ?? 'default'}
      variant={state === 'active' ? 'outlined' : 'filled'}
      label={translate(`resources.devices.states.${state}`, { _: state })}
      data-state={state}
    />
  );
}
