import type { ReactNode } from 'react';
import Box from '@mui/material/Box';
import ButtonBase from '@mui/material/ButtonBase';
import Paper from '@mui/material/Paper';
import Skeleton from '@mui/material/Skeleton';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { DateField, useLocaleState, useRecordContext, useTranslate } from 'react-admin';
import { formatMoney } from '../common/money';
import { useFormatDuration } from './IncidentFields';
import { MEMBERSHIP_STATUSES, type CurrencyValue, type Incident, type MembershipStatus } from './incidentTypes';

const figureColor: Record<MembershipStatus | 'devices', string> = {
  suspected: 'warning.main',
  confirmed: 'error.main',
  excluded: 'text.disabled',
  devices: 'info.main',
};

function Figure({
  label,
  value,
  tone,
  onClick,
  testId,
}: {
  label: string;
  value: number | undefined;
  tone: keyof typeof figureColor;
  onClick?: () => void;
  testId: string;
}) {
  const content = (
    <Box sx={{ p: 2, width: '100%', textAlign: 'left' }}>
      <Typography variant="overline" color="text.secondary" sx={{ lineHeight: 1.5 }}>
        {label}
      </Typography>
      <Typography
        variant="h4"
        component="div"
        sx={{ fontWeight: 600, fontVariantNumeric: 'tabular-nums', color: value ? figureColor[tone] : 'text.disabled' }}
        data-testid={`${testId}-value`}
      >
        {value === undefined ? <Skeleton width={48} /> : value.toLocaleString()}
      </Typography>
    </Box>
  );
  return (
    <Paper
      variant="outlined"
      sx={{ borderLeft: 4, borderLeftColor: figureColor[tone], overflow: 'hidden' }}
      data-testid={testId}
      data-value={value}
    >
      {onClick ? (
        <ButtonBase onClick={onClick} sx={{ width: '100%', '&:hover': { bgcolor: 'action.hover' } }}>
          {content}
        </ButtonBase>
      ) : (
        content
      )}
    </Paper>
  );
}

function Panel({ title, children, testId }: { title: string; children: ReactNode; testId: string }) {
  return (
    <Paper variant="outlined" sx={{ p: 2 }} data-testid={testId}>
      <Typography variant="subtitle1" component="h2" sx={{ fontWeight: 600, mb: 1 }}>
        {title}
      </Typography>
      {children}
    </Paper>
  );
}

/** Value per currency: confirmed and suspected side by side, never added across currencies. */
function ValueTable({ value }: { value: { confirmed: CurrencyValue[]; suspected: CurrencyValue[] } }) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const currencies = [...new Set([...value.confirmed, ...value.suspected].map((v) => v.currency))].sort();
  if (!currencies.length) {
    return (
      <Typography variant="body2" color="text.secondary">
        {translate('resources.incidents.overview.no_value')}
      </Typography>
    );
  }
  const cell = (values: CurrencyValue[], currency: string, state: string) => {
    const v = values.find((x) => x.currency === currency);
    return (
      <TableCell
        align="right"
        data-state={state}
        data-minor={v?.totalMinor ?? 0}
        sx={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}
      >
        {v ? formatMoney(Number(v.totalMinor), currency, locale) : '—'}
        <Typography component="div" variant="caption" color="text.secondary">
          {translate('resources.incidents.overview.orders_count', { smart_count: v?.orders ?? 0 })}
        </Typography>
      </TableCell>
    );
  };
  return (
    <Table size="small">
      <TableHead>
        <TableRow>
          <TableCell>{translate('resources.incidents.fields.currency')}</TableCell>
          <TableCell align="right">{translate('resources.incidents.membership.confirmed')}</TableCell>
          <TableCell align="right">{translate('resources.incidents.membership.suspected')}</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {currencies.map((currency) => (
          <TableRow key={currency} data-currency={currency} data-testid="incident-value-row">
            <TableCell sx={{ fontWeight: 600 }}>{currency}</TableCell>
            {cell(value.confirmed, currency, 'confirmed')}
            {cell(value.suspected, currency, 'suspected')}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

const when = { year: 'numeric', month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit' } as const;

function Stamp({ at }: { at: string | null | undefined }) {
  const translate = useTranslate();
  if (!at) return <span>{translate('resources.incidents.metrics.not_yet')}</span>;
  return <DateField record={{ id: at, at }} source="at" showTime options={when} />;
}

/** Time to detect, mitigate and resolve, each with the two moments it is measured between. */
function Metrics({ incident }: { incident: Incident }) {
  const translate = useTranslate();
  const duration = useFormatDuration();
  const rows = [
    {
      key: 'detect',
      seconds: incident.metrics?.timeToDetectSeconds,
      from: incident.startedAt,
      to: incident.detectedAt,
      fromLabel: 'started',
      toLabel: 'detected',
    },
    {
      key: 'mitigate',
      seconds: incident.metrics?.timeToMitigateSeconds,
      from: incident.detectedAt,
      to: incident.mitigatedAt,
      fromLabel: 'detected',
      toLabel: 'mitigated',
    },
    {
      key: 'resolve',
      seconds: incident.metrics?.timeToResolveSeconds,
      from: incident.detectedAt,
      to: incident.resolvedAt,
      fromLabel: 'detected',
      toLabel: 'resolved',
    },
  ] as const;
  return (
    <Table size="small">
      <TableBody>
        {rows.map((row) => (
          <TableRow key={row.key} data-testid={`incident-metric-${row.key}`} data-seconds={row.seconds ?? ''}>
            <TableCell sx={{ pl: 0 }}>
              <Typography variant="body2" sx={{ fontWeight: 500 }}>
                {translate(`resources.incidents.metrics.${row.key}`)}
              </Typography>
              <Typography variant="caption" color="text.secondary" component="div">
                {translate(`resources.incidents.metrics.moments.${row.fromLabel}`)} <Stamp at={row.from} /> →{' '}
                {translate(`resources.incidents.metrics.moments.${row.toLabel}`)} <Stamp at={row.to} />
              </Typography>
            </TableCell>
            <TableCell
              align="right"
              sx={{
                pr: 0,
                fontVariantNumeric: 'tabular-nums',
                whiteSpace: 'nowrap',
                fontWeight: 600,
                color: row.seconds == null ? 'text.disabled' : undefined,
              }}
              data-testid={`incident-metric-${row.key}-value`}
            >
              {duration(row.seconds)}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/** The figures a commander watches: scope by membership state, value per currency, devices, and the clock. */
export function IncidentOverview({ onPickState }: { onPickState?: (state: MembershipStatus) => void }) {
  const incident = useRecordContext<Incident>();
  const translate = useTranslate();
  if (!incident) return null;
  return (
    <Box data-testid="incident-overview" sx={{ display: 'grid', gap: 2 }}>
      <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr 1fr', md: 'repeat(4, 1fr)' } }}>
        {MEMBERSHIP_STATUSES.map((state) => (
          <Figure
            key={state}
            label={translate(`resources.incidents.membership.${state}`)}
            value={incident.members?.[state]}
            tone={state}
            onClick={onPickState ? () => onPickState(state) : undefined}
            testId={`incident-figure-${state}`}
          />
        ))}
        <Figure
          label={translate('resources.incidents.fields.devices')}
          value={incident.devices}
          tone="devices"
          testId="incident-figure-devices"
        />
      </Box>
      <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', md: '1fr 1fr' }, alignItems: 'start' }}>
        <Panel title={translate('resources.incidents.overview.value')} testId="incident-value">
          {incident.value ? <ValueTable value={incident.value} /> : <Skeleton height={80} />}
        </Panel>
        <Panel title={translate('resources.incidents.overview.metrics')} testId="incident-metrics">
          <Metrics incident={incident} />
        </Panel>
      </Box>
    </Box>
  );
}
