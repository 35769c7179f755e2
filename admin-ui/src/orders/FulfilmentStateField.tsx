import Chip from '@mui/material/Chip';
import { useFieldValue, useTranslate, type FieldProps } from 'react-admin';
import { FULFILMENT_STATE_COLOR, type FulfilmentState } from './fulfilmentStates';

/** Fulfilment state as a coloured chip; a state added server-side later still shows its raw id. */
export function FulfilmentStateField({ source = 'fulfilmentState', record }: Partial<FieldProps>) {
  const state = useFieldValue({ source, record }) as string | undefined | null;
  const translate = useTranslate();
  if (!state) return null;
  return (
    <Chip
      size="small"
      color={FULFILMENT_STATE_COLOR[state as FulfilmentState] ?? 'default'}
      variant={state === 'cancelled' ? 'outlined' : 'filled'}
      label={translate(`resources.orders.states.${state}`, { _: state })}
      data-state={state}
    />
  );
}
