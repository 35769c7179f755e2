import type { FieldProps } from 'react-admin';
import { StateChipField } from '../common/StateChipField';
import { DEVICE_STATE_COLOR } from './deviceStates';

/** Device state as a chip: quarantined is red, watched amber. */
export function DeviceStateField({ source = 'state', record }: Partial<FieldProps>) {
  return (
    <StateChipField source={source} record={record} labels="resources.devices.states" colors={DEVICE_STATE_COLOR} outlined={['active']} />
  );
}
