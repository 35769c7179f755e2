import Box from '@mui/material/Box';
import Stack from '@mui/material/Stack';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { useLocaleState, useRecordContext, useTranslate, type FieldProps } from 'react-admin';
import { StateChipField } from '../common/StateChipField';
import { formatMoney } from '../common/money';
import { MEMBERSHIP_COLOR, MEMBERSHIP_STATUSES, SEVERITY_COLOR, STATUS_COLOR, type CurrencyValue, type Incident } from './incidentTypes';

const mono = { fontFamily: 'monospace' };

export function IncidentStatusField({ source = 'status', record }: Partial<FieldProps>) {
  return (
    <StateChipField source={source} record={record} labels="resources.incidents.statuses" colors={STATUS_COLOR} outlined={['closed']} />
  );
}

export function IncidentSeverityField({ source = 'severity', record }: Partial<FieldProps>) {
  return (
    <StateChipField
      source={source}
      record={record}
      labels="resources.incidents.severities"
      colors={SEVERITY_COLOR}
      outlined={['low', 'medium']}
    />
  );
}

export function MembershipStatusField({ source = 'status', record }: Partial<FieldProps>) {
  return (
    <StateChipField
      source={source}
      record={record}
      labels="resources.incidents.membership"
      colors={MEMBERSHIP_COLOR}
      outlined={['suspected', 'excluded']}
    />
  );
}

/** "INC-0042" in monospace, the number people say out loud. */
export function IncidentReferenceField(_props: Partial<FieldProps>) {
  const record = useRecordContext<Incident>();
  if (!record) return null;
  return (
    <Typography component="span" variant="body2" sx={{ ...mono, fontWeight: 600, whiteSpace: 'nowrap' }}>
      {record.reference}
    </Typography>
  );
}

/** Suspected · confirmed · excluded order counts, each with its state's colour. */
export function MemberCountsField(_props: Partial<FieldProps>) {
  const record = useRecordContext<Incident>();
  const translate = useTranslate();
  if (!record?.members) return null;
  return (
    <Stack
      direction="row"
      spacing={1.5}
      sx={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}
      data-testid="incident-member-counts"
    >
      {MEMBERSHIP_STATUSES.map((status) => (
        <Tooltip key={status} title={translate(`resources.incidents.membership.${status}`)}>
          <Typography
            component="span"
            variant="body2"
            data-state={status}
            sx={{ color: status === 'excluded' ? 'text.disabled' : status === 'confirmed' ? 'error.main' : 'warning.dark' }}
          >
            {translate(`resources.incidents.membership_short.${status}`, { count: record.members[status] ?? 0 })}
          </Typography>
        </Tooltip>
      ))}
    </Stack>
  );
}

/** One amount per currency, one per line; never summed across currencies. */
export function CurrencyAmounts({ values, emptyText = '—', testId }: { values: CurrencyValue[]; emptyText?: string; testId?: string }) {
  const [locale] = useLocaleState();
  if (!values.length) {
    return (
      <Typography component="span" variant="body2" color="text.secondary" data-testid={testId}>
        {emptyText}
      </Typography>
    );
  }
  return (
    <Box data-testid={testId}>
      {values.map((v) => (
        <Typography
          key={v.currency}
          component="div"
          variant="body2"
          data-currency={v.currency}
          data-minor={v.totalMinor}
          sx={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}
        >
          {formatMoney(Number(v.totalMinor), v.currency, locale)}
        </Typography>
      ))}
    </Box>
  );
}

/** Confirmed value per currency with the suspected value under it. */
export function IncidentValueField(_props: Partial<FieldProps>) {
  const record = useRecordContext<Incident>();
  const translate = useTranslate();
  const value = record?.value;
  if (!record || !value) return null;
  if (!value.confirmed.length && !value.suspected.length) return <span>—</span>;
  const group = (state: 'confirmed' | 'suspected') =>
    value[state].length > 0 && (
      <Box data-state={state} sx={{ color: state === 'suspected' ? 'text.secondary' : undefined }}>
        <Typography component="div" variant="caption" color="text.secondary" sx={{ lineHeight: 1.2 }}>
          {translate(`resources.incidents.membership.${state}`)}
        </Typography>
        <CurrencyAmounts values={value[state]} />
      </Box>
    );
  return (
    <Stack spacing={0.5} sx={{ alignItems: 'flex-end', textAlign: 'right' }} data-testid="incident-list-value">
      {group('confirmed')}
      {group('suspected')}
    </Stack>
  );
}

/** Seconds as people read them: "1 d 2 h 3 min", "45 s"; null is "not yet". */
export function useFormatDuration() {
  const translate = useTranslate();
  return (seconds: number | null | undefined) => {
    if (seconds === null || seconds === undefined) return translate('resources.incidents.metrics.not_yet');
    if (seconds < 60) return translate('resources.incidents.units.s', { n: seconds });
    const days = Math.floor(seconds / 86_400);
    const hours = Math.floor((seconds % 86_400) / 3600);
    const minutes = Math.floor((seconds % 3600) / 60);
    const parts: string[] = [];
    if (days) parts.push(translate('resources.incidents.units.d', { n: days }));
    if (hours) parts.push(translate('resources.incidents.units.h', { n: hours }));
    if (minutes) parts.push(translate('resources.incidents.units.min', { n: minutes }));
    return parts.join(' ');
  };
}
