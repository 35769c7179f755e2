import Chip from '@mui/material/Chip';
import { useTranslate } from 'react-admin';
import type { CheckStatus, OverallStatus } from './health';

const COLOR = {
  ok: 'success',
  warn: 'warning',
  degraded: 'warning',
  error: 'error',
} as const;

export function StatusChip({ status }: { status: CheckStatus | OverallStatus }) {
  const translate = useTranslate();
  return (
    <Chip
      size="small"
      color={COLOR[status] ?? 'default'}
      label={translate(`app.health.status.${status}`, { _: status })}
      data-status={status}
    />
  );
}
