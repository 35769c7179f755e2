import type { MouseEvent } from 'react';
import Box from '@mui/material/Box';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { Link, useRecordContext, useTranslate, type FieldProps } from 'react-admin';
import { DateTimeField } from '../common/DateTimeField';
import { StateChipField } from '../common/StateChipField';
import { SCOPE_COLOR, STATUS_COLOR, type Quarantine } from './types';

const mono = { fontFamily: 'monospace' };

export function ScopeField({ source = 'scope', record }: Partial<FieldProps>) {
  return (
    <StateChipField source={source} record={record} labels="resources.quarantines.scopes" colors={SCOPE_COLOR} outlined={['device']} />
  );
}

export function QuarantineStatusField({ source = 'status', record }: Partial<FieldProps>) {
  return (
    <StateChipField
      source={source}
      record={record}
      labels="resources.quarantines.statuses"
      colors={STATUS_COLOR}
      outlined={['expired', 'released']}
    />
  );
}

/** What is stopped: a device (linked), a model's firmware version, or a whole model. */
export function TargetField(_props: Partial<FieldProps>) {
  const record = useRecordContext<Quarantine>();
  const translate = useTranslate();
  if (!record) return null;
  if (record.scope === 'device' && record.deviceId) {
    return (
      <Link to={`/devices/${encodeURIComponent(record.deviceId)}/show`} sx={mono} onClick={(event: MouseEvent) => event.stopPropagation()}>
        {record.deviceId}
      </Link>
    );
  }
  return (
    <Stack spacing={0}>
      <Typography variant="body2" component="span" sx={{ fontWeight: 500 }}>
        {record.model}
      </Typography>
      <Typography variant="caption" color="text.secondary" component="span">
        {record.scope === 'firmware'
          ? translate('resources.quarantines.target.firmware', { firmware: record.firmwareVersion })
          : translate('resources.quarantines.target.all_firmware')}
      </Typography>
    </Stack>
  );
}

export function ExpiresField(_props: Partial<FieldProps>) {
  const record = useRecordContext<Quarantine>();
  const translate = useTranslate();
  if (!record) return null;
  if (!record.expiresAt) {
    return (
      <Typography variant="body2" color="text.secondary" component="span">
        {translate('resources.quarantines.never')}
      </Typography>
    );
  }
  return <DateTimeField source="expiresAt" />;
}

/** Status chip plus, when released, by whom and when. */
export function StatusWithDetailField(_props: Partial<FieldProps>) {
  const record = useRecordContext<Quarantine>();
  const translate = useTranslate();
  if (!record) return null;
  return (
    <Stack spacing={0.5} sx={{ alignItems: 'flex-start' }}>
      <QuarantineStatusField />
      {record.releasedAt && (
        <Box sx={{ typography: 'caption', color: 'text.secondary' }}>
          {translate('resources.quarantines.released_by', { email: record.releasedByEmail ?? '—' })}
        </Box>
      )}
    </Stack>
  );
}
