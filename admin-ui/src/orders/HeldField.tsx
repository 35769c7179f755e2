import Chip from '@mui/material/Chip';
import Tooltip from '@mui/material/Tooltip';
import PauseIcon from '@mui/icons-material/PauseCircleOutline';
import { useRecordContext, useTranslate, type FieldProps } from 'react-admin';

/** "Held" chip (with the reason as tooltip) when the order is on hold; nothing otherwise. */
export function HeldField(_props: Partial<FieldProps>) {
  const record = useRecordContext();
  const translate = useTranslate();
  if (!record?.held) return null;
  const chip = (
    <Chip size="small" color="warning" icon={<PauseIcon />} label={translate('resources.orders.values.held')} data-held="true" />
  );
  return record.holdReason ? <Tooltip title={record.holdReason}>{chip}</Tooltip> : chip;
}
