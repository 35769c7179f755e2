import Chip, { type ChipProps } from '@mui/material/Chip';
import { useFieldValue, useTranslate, type FieldProps } from 'react-admin';

interface StateChipFieldProps extends Partial<FieldProps> {
  /** i18n prefix of the state labels, e.g. `resources.orders.states`. */
  labels: string;
  colors: Record<string, ChipProps['color']>;
  /** States drawn as an outline rather than filled (the quiet, normal ones). */
  outlined?: readonly string[];
}

/** A record's state as a coloured chip; a state the UI does not know yet still shows its raw id. */
export function StateChipField({ source = 'state', record, labels, colors, outlined = [] }: StateChipFieldProps) {
  const state = useFieldValue({ source, record }) as string | undefined | null;
  const translate = useTranslate();
  if (!state) return null;
  return (
    <Chip
      size="small"
      color={colors[state] ?? 'default'}
      variant={outlined.includes(state) ? 'outlined' : 'filled'}
      label={translate(`${labels}.${state}`, { _: state })}
      data-state={state}
    />
  );
}
