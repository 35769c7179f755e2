import type { FieldProps } from 'react-admin';
import { StateChipField } from '../common/StateChipField';
import { FULFILMENT_STATE_COLOR } from './fulfilmentStates';

/** Fulfilment state as a coloured chip. */
export function FulfilmentStateField({ source = 'fulfilmentState', record }: Partial<FieldProps>) {
  return (
    <StateChipField
      source={source}
      record={record}
      labels="resources.orders.states"
      colors={FULFILMENT_STATE_COLOR}
      outlined={['cancelled']}
    />
  );
}
