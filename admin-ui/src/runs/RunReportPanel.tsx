import { Fragment } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Stack from '@mui/material/Stack';
import { alpha } from '@mui/material/styles';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import WarningIcon from '@mui/icons-material/WarningAmber';
import { useLocaleState, useTranslate } from 'react-admin';
import { DateTimeField } from '../common/DateTimeField';
import { formatMoney } from '../common/money';
import { ActionIcon } from './ActionIcon';
import { RUN_ACTIONS, type InterceptFeeLine, type RunReport } from './runTypes';
import { t, useFormatCount } from './useRunApi';

const num = { fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' } as const;
const OPERATIONS = ['cancel', 'void_label', 'intercept', 'request_return'];

/**
 * A report figure's name (`refund.amount_minor.USD`, `stop_shipment.void_label`,
 * `refund.skipped.disputed`, `refund.failed.charge_disputed`…) for people: its
 * action, its label, where it sorts within the action, and how its values read
 * (money through the one formatter for amounts, counts otherwise).
 */
function useFigure() {
  const translate = useTranslate();
  const count = useFormatCount();
  const [locale] = useLocaleState();
  return (figure: string) => {
    const [action = '', kind = '', detail = ''] = figure.split('.');
    let label: string;
    let rank: number;
    let format = (n: number) => count(n);
    if (kind === 'amount_minor') {
      label = translate(t('report.labels.amount'), { currency: detail });
      rank = 1;
      format = (n) => formatMoney(Number(n), detail, locale);
    } else if (OPERATIONS.includes(kind)) {
      label = translate(t(`report.labels.${kind}`));
      rank = 2 + OPERATIONS.indexOf(kind) / 10;
    } else if (kind === 'skipped') {
      label = translate(t('report.labels.skipped'), { reason: translate(t(`skip_reasons.${detail}`), { _: detail }) });
      rank = 3;
    } else if (kind === 'failed') {
      label = detail ? translate(t('report.labels.failed_code'), { code: detail }) : translate(t('report.labels.failed'));
      rank = 4;
    } else if (kind === 'cancelled') {
      label = translate(t('report.labels.cancelled'));
      rank = 5;
    } else {
      label = translate(t(`report.labels.${action}_${kind}`), { _: `${action} ${kind}` });
      rank = 0;
    }
    return { action, label, rank, format };
  };
}

/**
 * What actually happened beside the preview: every figure the report compares
 * (preview, plan, executed), differences highlighted. Before the run finishes
 * there is no report yet, and the panel says so.
 */
export function RunReportPanel({ report }: { report: RunReport | null }) {
  const translate = useTranslate();
  const figure = useFigure();
  if (!report) {
    return (
      <Alert severity="info" variant="outlined" data-testid="run-report-pending" sx={{ bgcolor: 'background.paper' }}>
        {translate(t('report.pending'))}
      </Alert>
    );
  }
  const differing = new Set(report.differences.map((d) => d.figure));
  return (
    <Box data-testid="run-report" data-matches={String(report.matchesPreview)} sx={{ display: 'grid', gap: 1.5 }}>
      <Alert
        severity={report.matchesPreview ? 'success' : 'warning'}
        data-testid="run-report-summary"
        action={
          <Chip
            size="small"
            color={report.matchesPreview ? 'success' : 'warning'}
            label={
              report.matchesPreview
                ? translate(t('report.matches'))
                : translate(t('report.differs'), { smart_count: report.differences.length })
            }
          />
        }
      >
        {translate(t(`report.outcome.${report.outcome}`), { _: report.outcome })}
        {' · '}
        <DateTimeField record={report} source="finishedAt" />
      </Alert>
      <Box sx={{ overflowX: 'auto' }}>
        <Table size="small" data-testid="run-report-table">
          <TableHead>
            <TableRow>
              <TableCell>{translate(t('report.columns.figure'))}</TableCell>
              <TableCell align="right">{translate(t('report.columns.preview'))}</TableCell>
              <TableCell align="right">{translate(t('report.columns.planned'))}</TableCell>
              <TableCell align="right">{translate(t('report.columns.executed'))}</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {RUN_ACTIONS.map((action) => {
              const rows = report.figures
                .map((row) => ({ ...row, ...figure(row.figure) }))
                .filter((row) => row.action === action)
                .sort((a, b) => a.rank - b.rank || a.figure.localeCompare(b.figure));
              if (!rows.length) return null;
              return (
                <Fragment key={action}>
                  <TableRow>
                    <TableCell colSpan={4} sx={{ pt: 1.5, pb: 0.5, borderBottom: 0 }}>
                      <Stack direction="row" spacing={0.75} sx={{ alignItems: 'center' }}>
                        <ActionIcon action={action} />
                        <Typography variant="subtitle2" component="span" sx={{ fontWeight: 600 }}>
                          {translate(t(`run_actions.${action}`))}
                        </Typography>
                      </Stack>
                    </TableCell>
                  </TableRow>
                  {rows.map((row) => {
                    const differs = differing.has(row.figure);
                    return (
                      <TableRow
                        key={row.figure}
                        data-testid="run-report-row"
                        data-figure={row.figure}
                        data-differs={String(differs)}
                        sx={differs ? { bgcolor: (theme) => alpha(theme.palette.warning.main, 0.12) } : undefined}
                      >
                        <TableCell sx={{ pl: 4.5 }}>
                          <Typography variant="body2" sx={{ fontWeight: differs ? 600 : undefined }}>
                            {row.label}
                          </Typography>
                        </TableCell>
                        <TableCell align="right" sx={num}>
                          {row.format(row.preview)}
                        </TableCell>
                        <TableCell align="right" sx={{ ...num, color: 'text.secondary' }}>
                          {row.format(row.planned)}
                        </TableCell>
                        <TableCell align="right" sx={{ ...num, fontWeight: 600, color: differs ? 'warning.dark' : undefined }}>
                          {differs && (
                            <WarningIcon
                              sx={{ fontSize: 14, mr: 0.5, verticalAlign: '-2px' }}
                              aria-label={translate(t('report.differs_one'))}
                            />
                          )}
                          {row.format(row.executed)}
                        </TableCell>
                      </TableRow>
                    );
                  })}
                </Fragment>
              );
            })}
          </TableBody>
        </Table>
      </Box>
      {report.differences.length > 0 && (
        <Typography variant="caption" color="text.secondary">
          {translate(t('report.differences_hint'))}
        </Typography>
      )}
      {report.fees && report.fees.intercept.length > 0 && <InterceptFees lines={report.fees.intercept} />}
      <FollowUps report={report} />
    </Box>
  );
}

/**
 * The carrier's intercept fees: what the preview estimated beside what was charged, per
 * currency. Not a difference from the preview: an estimate is not a promise.
 */
function InterceptFees({ lines }: { lines: InterceptFeeLine[] }) {
  const translate = useTranslate();
  const count = useFormatCount();
  const [locale] = useLocaleState();
  const amount = (minor: number | null | undefined, currency: string) =>
    minor === null || minor === undefined ? '—' : formatMoney(Number(minor), currency, locale);
  return (
    <Box data-testid="run-report-intercept-fees">
      <Typography variant="subtitle2" component="h3" sx={{ fontWeight: 600 }}>
        {translate(t('report.fees.title'))}
      </Typography>
      <Typography variant="caption" color="text.secondary" component="div" sx={{ mb: 0.5 }}>
        {translate(t('report.fees.intro'))}
      </Typography>
      <Table size="small">
        <TableHead>
          <TableRow>
            <TableCell>{translate(t('report.fees.currency'))}</TableCell>
            <TableCell align="right">{translate(t('report.fees.estimated'))}</TableCell>
            <TableCell align="right">{translate(t('report.fees.charged'))}</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {lines.map((line) => (
            <TableRow
              key={line.currency}
              data-testid="run-report-intercept-fee"
              data-currency={line.currency}
              data-estimated-minor={line.estimated?.amountMinor ?? ''}
              data-charged-minor={line.charged.amountMinor}
            >
              <TableCell>{line.currency}</TableCell>
              <TableCell align="right" sx={{ ...num, color: 'text.secondary' }}>
                {amount(line.estimated?.amountMinor, line.currency)}
                {line.estimated && (
                  <Typography variant="caption" component="div">
                    {translate(t('units.parcels'), { smart_count: line.estimated.orders, count: count(line.estimated.orders) })}
                  </Typography>
                )}
              </TableCell>
              <TableCell align="right" sx={{ ...num, fontWeight: 600 }}>
                {amount(line.charged.amountMinor, line.currency)}
                <Typography variant="caption" component="div" color="text.secondary">
                  {translate(t('units.parcels'), { smart_count: line.charged.orders, count: count(line.charged.orders) })}
                </Typography>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Box>
  );
}

/** Follow-up notices (refunds that failed after the customer was told) are counted apart from the customers notified. */
function FollowUps({ report }: { report: RunReport }) {
  const translate = useTranslate();
  const count = useFormatCount();
  const followUps = report.executed?.notify?.followUps;
  if (!followUps || followUps.sent + followUps.failed + followUps.open === 0) return null;
  return (
    <Typography
      variant="body2"
      color="text.secondary"
      data-testid="run-report-follow-ups"
      data-sent={followUps.sent}
      data-failed={followUps.failed}
    >
      {translate(t('report.follow_ups'), {
        smart_count: followUps.sent,
        count: count(followUps.sent),
        failed: count(followUps.failed),
        open: count(followUps.open),
      })}
    </Typography>
  );
}
