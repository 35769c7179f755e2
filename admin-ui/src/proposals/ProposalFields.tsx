import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import LinearProgress from '@mui/material/LinearProgress';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useRecordContext, useTranslate, type FieldProps } from 'react-admin';
import { DateTimeField } from '../common/DateTimeField';
import { MoneyField } from '../common/MoneyField';
import { StateChipField } from '../common/StateChipField';
import { SEVERITY_COLOR, STATUS_COLOR, type Proposal } from './types';

/** 0–100 as a number and a bar; red from 70, amber from 40. */
export function ScoreField({ size = 'small' }: Partial<FieldProps> & { size?: 'small' | 'large' }) {
  const record = useRecordContext<Proposal>();
  if (!record) return null;
  const score = Number(record.score);
  const color = score >= 70 ? 'error' : score >= 40 ? 'warning' : 'info';
  return (
    <Stack
      direction="row"
      spacing={1}
      sx={{ alignItems: 'center', minWidth: size === 'large' ? 0 : 84, maxWidth: '100%' }}
      data-score={score}
    >
      <Typography
        component="span"
        variant={size === 'large' ? 'h4' : 'body2'}
        sx={{ fontWeight: 600, fontVariantNumeric: 'tabular-nums', minWidth: size === 'large' ? 0 : 24, textAlign: 'right' }}
      >
        {score}
      </Typography>
      <LinearProgress
        variant="determinate"
        value={Math.max(0, Math.min(100, score))}
        color={color}
        sx={{ flexGrow: 1, height: size === 'large' ? 8 : 6, borderRadius: 3 }}
        aria-hidden
      />
    </Stack>
  );
}

export function SeverityField({ source = 'severity', record }: Partial<FieldProps>) {
  return (
    <StateChipField source={source} record={record} labels="resources.proposals.severities" colors={SEVERITY_COLOR} outlined={['low']} />
  );
}

export function ProposalStatusField({ source = 'status', record }: Partial<FieldProps>) {
  return <StateChipField source={source} record={record} labels="resources.proposals.statuses" colors={STATUS_COLOR} outlined={['open']} />;
}

/** Human name of a rule id; an id the UI does not know yet shows as-is. */
export function useRuleName() {
  const translate = useTranslate();
  return (rule: string) => translate(`resources.proposals.rules.${rule}`, { _: rule });
}

export function RulesField(_props: Partial<FieldProps>) {
  const record = useRecordContext<Proposal>();
  const ruleName = useRuleName();
  if (!record?.rules?.length) return null;
  return (
    <Stack direction="row" spacing={0.5} useFlexGap sx={{ flexWrap: 'wrap' }}>
      {record.rules.map((rule) => (
        <Chip key={rule} size="small" variant="outlined" label={ruleName(rule)} data-rule={rule} />
      ))}
    </Stack>
  );
}

/** One line per currency, each through the one money formatter; never summed across currencies. */
export function ValueByCurrencyField({ withOrders = false, record: recordProp }: Partial<FieldProps<Proposal>> & { withOrders?: boolean }) {
  const record = useRecordContext<Proposal>({ record: recordProp });
  const translate = useTranslate();
  const values = record?.valueByCurrency ?? [];
  if (values.length === 0) return <span>—</span>;
  return (
    <Stack spacing={0.25}>
      {values.map((value) => (
        <Box key={value.currency} data-currency={value.currency} sx={{ display: 'flex', gap: 1, alignItems: 'baseline' }}>
          <Box component="span" data-testid="value-amount">
            <MoneyField record={{ id: value.currency, ...value }} source="totalMinor" currencySource="currency" />
          </Box>
          {withOrders && (
            <Typography component="span" variant="caption" color="text.secondary">
              {translate('resources.proposals.figures.orders_in_currency', { smart_count: value.orders })}
            </Typography>
          )}
        </Box>
      ))}
    </Stack>
  );
}

/** Distinct devices behind the proposal's orders (worked out by detection). */
export function DeviceCountField(_props: Partial<FieldProps>) {
  const record = useRecordContext<Proposal>();
  if (!record) return null;
  return <Count value={record.deviceCount} />;
}

function Count({ value }: { value: number }) {
  return (
    <Typography component="span" variant="body2" sx={{ fontVariantNumeric: 'tabular-nums' }}>
      {value}
    </Typography>
  );
}

/** First and last order of the pattern, stacked. */
export function SeenField(_props: Partial<FieldProps>) {
  const record = useRecordContext<Proposal>();
  if (!record) return null;
  return (
    <Stack spacing={0} sx={{ '& .MuiTypography-root': { fontSize: '0.8125rem' } }}>
      <DateTimeField source="firstOrderAt" />
      <DateTimeField source="lastOrderAt" color="text.secondary" />
    </Stack>
  );
}
