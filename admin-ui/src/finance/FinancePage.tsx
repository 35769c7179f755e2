import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import LinearProgress from '@mui/material/LinearProgress';
import Link from '@mui/material/Link';
import MenuItem from '@mui/material/MenuItem';
import MuiButton from '@mui/material/Button';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TextField from '@mui/material/TextField';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import DownloadIcon from '@mui/icons-material/Download';
import EventRepeatIcon from '@mui/icons-material/EventRepeat';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { AccessDenied, CanAccess, LinkBase, Title, useCanAccess, useDataProvider, useLocaleState, useTranslate } from 'react-admin';
import { useSearchParams } from 'react-router';
import { formatMoney } from '../common/money';
import { CategoryBars } from '../ledger/CategoryBars';
import { CurrencyFigures } from '../ledger/CurrencyFigures';
import { LEDGER_CATEGORIES, type CurrencyTally, type FinanceReport } from '../ledger/ledgerTypes';
import { apiPath, type AppDataProvider } from '../providers/dataProvider';
import { financeExportHref, financeQuery, last30Days, type FinanceRange } from './financeRange';

const f = (key: string) => `resources.finance.${key}`;
const cat = (category: string) => `resources.ledger.categories.${category}`;

/** `GET /api/finance/report` for a range; a 400 (reversed or too long, naming the field) is the query's error. */
function useFinanceReport(range: FinanceRange) {
  const dataProvider = useDataProvider<AppDataProvider>();
  const query = financeQuery(range);
  return useQuery({
    queryKey: ['finance', 'report', query],
    queryFn: async ({ signal }) => (await dataProvider.call<FinanceReport>({ path: apiPath('finance', 'report'), query, signal })).data,
    placeholderData: keepPreviousData,
    retry: false,
  });
}

/** The server's per-field messages of a 400 (`{ to: 'must be after from …' }`). */
const fieldErrorsOf = (error: unknown) =>
  ((error as { body?: { errors?: Record<string, unknown> } } | null)?.body?.errors ?? {}) as Record<string, string>;

function Section({ title, children, testId }: { title: string; children: ReactNode; testId: string }) {
  return (
    <Paper variant="outlined" sx={{ p: 2 }} component="section" data-testid={testId}>
      <Typography variant="subtitle1" component="h2" sx={{ fontWeight: 600, mb: 1 }}>
        {title}
      </Typography>
      {children}
    </Paper>
  );
}

/** Per category (rows) and currency (columns), then cost, recovered and net loss; columns are never added together. */
function TotalsTable({ tallies }: { tallies: CurrencyTally[] }) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const cell = (tally: CurrencyTally, key: string, minor: number, strong = false) => (
    <TableCell
      key={tally.currency}
      align="right"
      data-currency={tally.currency}
      data-minor={minor}
      sx={{
        fontVariantNumeric: 'tabular-nums',
        whiteSpace: 'nowrap',
        fontWeight: strong ? 700 : undefined,
        color: minor === 0 ? 'text.disabled' : undefined,
      }}
      data-testid={`finance-total-${key}`}
    >
      {formatMoney(minor, tally.currency, locale)}
    </TableCell>
  );
  return (
    <Box sx={{ overflowX: 'auto' }}>
      <Table size="small" data-testid="finance-totals">
        <TableHead>
          <TableRow>
            <TableCell>{translate(f('totals.category'))}</TableCell>
            {tallies.map((t) => (
              <TableCell key={t.currency} align="right" sx={{ fontWeight: 700 }}>
                {t.currency}
              </TableCell>
            ))}
          </TableRow>
        </TableHead>
        <TableBody>
          {LEDGER_CATEGORIES.map((category) => (
            <TableRow key={category} data-category={category}>
              <TableCell>{translate(cat(category))}</TableCell>
              {tallies.map((t) => cell(t, category, t.categories.find((c) => c.category === category)?.amountMinor ?? 0))}
            </TableRow>
          ))}
          {(
            [
              ['cost', 'costMinor'],
              ['recovered', 'recoveredMinor'],
              ['net_loss', 'netLossMinor'],
            ] as const
          ).map(([key, source]) => (
            <TableRow
              key={key}
              data-category={key}
              sx={{ '& td': { borderTop: key === 'cost' ? 2 : undefined, borderTopColor: 'divider' } }}
            >
              <TableCell sx={{ fontWeight: 600 }}>{translate(`resources.ledger.figures.${key}`)}</TableCell>
              {tallies.map((t) => cell(t, key, t[source], key === 'net_loss'))}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Box>
  );
}

function IncidentsTable({ rows }: { rows: FinanceReport['incidents'] }) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const money = (minor: number, currency: string) => formatMoney(minor, currency, locale);
  const num = { fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' } as const;
  return (
    <Box sx={{ overflowX: 'auto' }}>
      <Table size="small" data-testid="finance-incidents">
        <TableHead>
          <TableRow>
            <TableCell>{translate(f('incidents.incident'))}</TableCell>
            <TableCell>{translate(f('incidents.title'))}</TableCell>
            <TableCell>{translate(f('incidents.status'))}</TableCell>
            <TableCell>{translate(f('incidents.currency'))}</TableCell>
            <TableCell align="right">{translate(f('incidents.cost'))}</TableCell>
            <TableCell align="right">{translate(f('incidents.recovered'))}</TableCell>
            <TableCell align="right">{translate(f('incidents.net_loss'))}</TableCell>
            <TableCell align="right">{translate(f('incidents.entries'))}</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {rows.map((row) => (
            <TableRow
              key={`${row.incidentId}-${row.currency}`}
              hover
              data-testid="finance-incident-row"
              data-incident-id={row.incidentId}
              data-currency={row.currency}
              data-net-minor={row.netLossMinor}
            >
              <TableCell>
                <Link
                  component={LinkBase}
                  to={{ pathname: `/incidents/${encodeURIComponent(row.incidentId)}/show`, search: '?tab=ledger' }}
                  sx={{ fontFamily: 'monospace', fontWeight: 600, whiteSpace: 'nowrap' }}
                >
                  {row.reference}
                </Link>
              </TableCell>
              <TableCell sx={{ maxWidth: 320, overflowWrap: 'anywhere' }}>{row.title}</TableCell>
              <TableCell>{translate(`resources.incidents.statuses.${row.status}`, { _: row.status })}</TableCell>
              <TableCell sx={{ fontWeight: 600 }}>{row.currency}</TableCell>
              <TableCell align="right" sx={num}>
                {money(row.costMinor, row.currency)}
              </TableCell>
              <TableCell align="right" sx={num}>
                {money(row.recoveredMinor, row.currency)}
              </TableCell>
              <TableCell align="right" sx={{ ...num, fontWeight: 600 }}>
                {money(row.netLossMinor, row.currency)}
              </TableCell>
              <TableCell align="right" sx={num}>
                {row.entries.toLocaleString(locale)}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Box>
  );
}

/**
 * Finance across incidents: a date range (UTC days, at most 366) and a
 * currency; totals per currency × category, loss by category, one row per
 * incident and currency — all summed by the server — and the range's entries
 * as CSV. The range lives in the URL, so a link shows the same report.
 */
function FinanceDashboard() {
  const translate = useTranslate();
  const [params, setParams] = useSearchParams();
  const defaults = last30Days();
  const range: FinanceRange = {
    from: params.get('from') ?? defaults.from,
    to: params.get('to') ?? defaults.to,
    currency: params.get('currency') ?? '',
  };
  const { canAccess: canExport } = useCanAccess({ resource: 'finance-report', action: 'export' });
  const report = useFinanceReport(range);
  // The currencies of the range, whichever one is picked (the same request as the unfiltered report: cached).
  const all = useFinanceReport({ from: range.from, to: range.to });
  const currencies = [
    ...new Set([...(all.data?.currencies.map((c) => c.currency) ?? []), ...(range.currency ? [range.currency] : [])]),
  ].sort();
  const fieldErrors = fieldErrorsOf(report.error);
  const data = report.error ? undefined : report.data;

  const change = (patch: Partial<FinanceRange>) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        const merged = { ...range, ...patch };
        next.set('from', merged.from);
        next.set('to', merged.to);
        if (merged.currency) next.set('currency', merged.currency);
        else next.delete('currency');
        return next;
      },
      { replace: true },
    );

  return (
    <Box sx={{ mt: 2, display: 'grid', gap: 2, gridTemplateColumns: 'minmax(0, 1fr)' }} data-testid="finance-page">
      <Title title={f('title')} />
      <Card variant="outlined">
        {report.isFetching ? <LinearProgress /> : <Box sx={{ height: 4 }} />}
        <CardContent sx={{ display: 'grid', gap: 2 }}>
          <Typography variant="body2" color="text.secondary">
            {translate(f('intro'))}
          </Typography>
          <Stack direction={{ xs: 'column', md: 'row' }} spacing={2} useFlexGap sx={{ alignItems: { md: 'flex-start' }, flexWrap: 'wrap' }}>
            <TextField
              type="date"
              size="small"
              fullWidth={false}
              label={translate(f('fields.from'))}
              value={range.from}
              onChange={(event) => change({ from: event.target.value })}
              error={Boolean(fieldErrors.from)}
              helperText={fieldErrors.from ?? ' '}
              slotProps={{ inputLabel: { shrink: true }, htmlInput: { 'data-testid': 'finance-from' } }}
            />
            <TextField
              type="date"
              size="small"
              fullWidth={false}
              label={translate(f('fields.to'))}
              value={range.to}
              onChange={(event) => change({ to: event.target.value })}
              error={Boolean(fieldErrors.to)}
              helperText={fieldErrors.to ?? translate(f('helpers.range'))}
              slotProps={{ inputLabel: { shrink: true }, htmlInput: { 'data-testid': 'finance-to' } }}
            />
            <TextField
              select
              size="small"
              fullWidth={false}
              label={translate(f('fields.currency'))}
              value={range.currency}
              onChange={(event) => change({ currency: event.target.value })}
              error={Boolean(fieldErrors.currency)}
              helperText={fieldErrors.currency ?? ' '}
              sx={{ minWidth: 180 }}
              slotProps={{
                select: { displayEmpty: true, SelectDisplayProps: { 'data-testid': 'finance-currency' } as object },
                inputLabel: { shrink: true },
              }}
            >
              <MenuItem value="">{translate(f('fields.all_currencies'))}</MenuItem>
              {currencies.map((currency) => (
                <MenuItem key={currency} value={currency}>
                  {currency}
                </MenuItem>
              ))}
            </TextField>
            <MuiButton startIcon={<EventRepeatIcon />} onClick={() => change({ ...last30Days() })} sx={{ mt: { md: 0.25 } }}>
              {translate(f('actions.last_30_days'))}
            </MuiButton>
            <Box sx={{ flex: 1 }} />
            {canExport && (
              <Tooltip title={translate(f('export_hint'))}>
                {/* A span: a disabled button gets no hover, and the hint must still show. */}
                <span>
                  <MuiButton
                    variant="contained"
                    startIcon={<DownloadIcon />}
                    component="a"
                    href={financeExportHref(range)}
                    download
                    disabled={Boolean(report.error)}
                    data-testid="finance-export"
                  >
                    {translate(f('actions.export'))}
                  </MuiButton>
                </span>
              </Tooltip>
            )}
          </Stack>
          {report.error && (
            <Alert severity="error" data-testid="finance-error">
              {(report.error as Error).message || translate('ra.notification.http_error')}
            </Alert>
          )}
        </CardContent>
      </Card>
      {data && (
        <Box
          sx={{ display: 'grid', gap: 2, opacity: report.isPlaceholderData ? 0.5 : 1 }}
          data-testid="finance-report"
          data-from={data.from}
          data-to={data.to}
        >
          {!data.currencies.length ? (
            <Paper variant="outlined" sx={{ p: 4, textAlign: 'center' }}>
              <Typography variant="body2" color="text.secondary" data-testid="finance-empty">
                {translate(f('empty'))}
              </Typography>
            </Paper>
          ) : (
            <>
              <CurrencyFigures tallies={data.currencies} testId="finance" />
              <Section title={translate(f('sections.totals'))} testId="finance-totals-section">
                <TotalsTable tallies={data.currencies} />
              </Section>
              <Section title={translate(f('sections.chart'))} testId="finance-chart">
                <Box sx={{ display: 'grid', gap: 2 }}>
                  {data.currencies.map((tally) => (
                    <Box key={tally.currency}>
                      <Typography variant="overline" color="text.secondary" component="h3">
                        {tally.currency}
                      </Typography>
                      <CategoryBars tally={tally} testId="finance" />
                    </Box>
                  ))}
                </Box>
              </Section>
              <Section title={translate(f('sections.incidents'))} testId="finance-incidents-section">
                <IncidentsTable rows={data.incidents} />
              </Section>
            </>
          )}
        </Box>
      )}
    </Box>
  );
}

export default function FinancePage() {
  // A custom route, outside <Resource>: the `finance-report.show` check is explicit.
  return (
    <CanAccess resource="finance-report" action="show" accessDenied={<AccessDenied />}>
      <FinanceDashboard />
    </CanAccess>
  );
}
