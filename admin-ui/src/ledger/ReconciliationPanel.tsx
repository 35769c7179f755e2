import { useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import CircularProgress from '@mui/material/CircularProgress';
import LinearProgress from '@mui/material/LinearProgress';
import Link from '@mui/material/Link';
import MuiButton from '@mui/material/Button';
import Paper from '@mui/material/Paper';
import Skeleton from '@mui/material/Skeleton';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TablePagination from '@mui/material/TablePagination';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import CompareArrowsIcon from '@mui/icons-material/CompareArrows';
import { LinkBase, useCanAccess, useLocaleState, useNotify, useTranslate } from 'react-admin';
import { DateTimeField } from '../common/DateTimeField';
import { formatMoney } from '../common/money';
import { ReasonDialog } from '../common/ReasonDialog';
import { StateChipField } from '../common/StateChipField';
import { useErrorText, useReasonPolicy } from '../incidents/useIncidentApi';
import { DISCREPANCY_KINDS, isOpenReconciliation, type Discrepancy, type Reconciliation } from './ledgerTypes';
import { useReconciliation, useReconciliations, useRequestReconciliation } from './useLedgerApi';

const r = (key: string) => `resources.reconciliations.${key}`;
const STATUS_COLORS = { queued: 'default', running: 'info', completed: 'success', failed: 'error' } as const;
const KIND_COLORS = { missing: 'error', extra: 'warning', amount_mismatch: 'secondary' } as const;
const DIFFERENCES_PER_PAGE = 25;

/**
 * The incident's reconciliations with Stripe: a button that queues one
 * (`reconciliations.create`; a reason only when the matrix requires one), the
 * report it produces — polled until the job is done — and earlier reports.
 */
export function ReconciliationPanel({ incidentId }: { incidentId: string }) {
  const translate = useTranslate();
  const notify = useNotify();
  const errorText = useErrorText();
  const { canAccess: canCreate } = useCanAccess({ resource: 'reconciliations', action: 'create' });
  const policy = useReasonPolicy('reconciliations.create');
  const reports = useReconciliations(incidentId, true);
  const [chosen, setChosen] = useState<string>();
  const [asking, setAsking] = useState(false);
  const request = useRequestReconciliation(incidentId);
  const shownId = chosen ?? reports.data?.data[0]?.id;
  const shown = useReconciliation(incidentId, shownId);
  const open = reports.data?.data.find(isOpenReconciliation);

  const reconcile = async (reason?: string) => {
    const report = await request.mutateAsync(reason);
    setChosen(report.id);
    setAsking(false);
    notify(r('notifications.requested'), { type: 'info', messageArgs: { number: report.number } });
  };
  const start = () => {
    if (policy === 'required') return setAsking(true);
    reconcile().catch((error: unknown) => notify(errorText(error), { type: 'error' }));
  };

  return (
    <Paper variant="outlined" sx={{ p: 2, display: 'grid', gap: 2 }} data-testid="ledger-reconciliation">
      <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2} sx={{ justifyContent: 'space-between', alignItems: { sm: 'center' } }}>
        <Box>
          <Typography variant="subtitle1" component="h2" sx={{ fontWeight: 600 }}>
            {translate(r('title'))}
          </Typography>
          <Typography variant="body2" color="text.secondary">
            {translate(r('intro'))}
          </Typography>
        </Box>
        {canCreate && (
          <MuiButton
            variant="contained"
            startIcon={request.isPending || open ? <CircularProgress size={16} color="inherit" /> : <CompareArrowsIcon />}
            onClick={start}
            disabled={request.isPending || Boolean(open)}
            sx={{ flexShrink: 0 }}
            data-testid="ledger-reconcile-button"
          >
            {translate(r('actions.reconcile'))}
          </MuiButton>
        )}
      </Stack>
      {reports.error ? (
        <Alert severity="error">{errorText(reports.error)}</Alert>
      ) : reports.isPending ? (
        <Skeleton height={64} />
      ) : !reports.data.data.length ? (
        <Typography variant="body2" color="text.secondary" data-testid="ledger-reconciliation-empty">
          {translate(r('empty'))}
        </Typography>
      ) : (
        <>
          {shown.error ? (
            <Alert severity="error">{errorText(shown.error)}</Alert>
          ) : shown.data ? (
            <Report report={shown.data} />
          ) : (
            <Skeleton height={64} />
          )}
          <EarlierReports reports={reports.data.data} shownId={shownId} onShow={setChosen} />
        </>
      )}
      {asking && (
        <ReasonDialog
          open
          onClose={() => setAsking(false)}
          onConfirm={reconcile}
          title={r('dialog.title')}
          intro={translate(r('dialog.intro'))}
          reasonLabel={r('dialog.reason')}
          reasonHelper={r('dialog.reason_hint')}
          confirmLabel={r('dialog.submit')}
          data-testid="ledger-reconcile-dialog"
        />
      )}
    </Paper>
  );
}

function Report({ report }: { report: Reconciliation }) {
  const translate = useTranslate();
  const summary = report.summary;
  return (
    <Box
      sx={{ display: 'grid', gap: 1.5 }}
      data-testid="ledger-reconciliation-report"
      data-status={report.status}
      data-clean={report.clean ?? ''}
    >
      <Stack direction="row" spacing={1} useFlexGap sx={{ alignItems: 'center', flexWrap: 'wrap' }}>
        <Typography variant="subtitle2" component="h3">
          {translate(r('report.title'), { number: report.number })}
        </Typography>
        <StateChipField record={report} source="status" labels={r('statuses')} colors={STATUS_COLORS} />
        <Typography variant="caption" color="text.secondary">
          <DateTimeField record={report} source="requestedAt" variant="caption" /> ·{' '}
          {translate(r('report.requested_by'), { who: report.requestedByEmail ?? translate(r('values.system')) })}
        </Typography>
      </Stack>
      {isOpenReconciliation(report) ? (
        <Box data-testid="ledger-reconciliation-progress">
          <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
            {translate(r(`progress.${report.status}`), { number: report.number })}
          </Typography>
          <LinearProgress />
        </Box>
      ) : report.status === 'failed' ? (
        <Alert severity="error" data-testid="ledger-reconciliation-failed">
          {translate(r('report.failed'), { message: report.errorMessage ?? '' })}
        </Alert>
      ) : (
        <>
          <Alert
            severity={report.clean ? 'success' : 'warning'}
            data-testid={report.clean ? 'ledger-reconciliation-clean' : 'ledger-reconciliation-differences'}
          >
            {summary?.message}
          </Alert>
          {summary && (
            <Typography variant="body2" color="text.secondary">
              {translate(r('report.scope'), {
                ...summary,
                strategy: translate(r(`report.strategies.${summary.strategy}`), { _: summary.strategy }),
              })}
            </Typography>
          )}
          {summary && !report.clean && (
            <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: 'wrap' }}>
              {DISCREPANCY_KINDS.filter((kind) => summary[kind] > 0).map((kind) => (
                <Chip
                  key={kind}
                  size="small"
                  color={KIND_COLORS[kind]}
                  label={translate(r(`kind_counts.${kind}`), { count: summary[kind] })}
                  data-testid={`ledger-reconciliation-count-${kind}`}
                  data-value={summary[kind]}
                />
              ))}
            </Stack>
          )}
          {Boolean(report.discrepancies?.length) && <Differences differences={report.discrepancies!} />}
          {Boolean(summary?.totals.length) && <Totals totals={summary!.totals} />}
        </>
      )}
    </Box>
  );
}

/** An amount with its own currency (the two sides may disagree on it), or a dash when that side has nothing. */
function SideAmount({ minor, currency }: { minor: number; currency: string | null }) {
  const [locale] = useLocaleState();
  return <>{currency ? formatMoney(minor, currency, locale) : '—'}</>;
}

function Differences({ differences }: { differences: Discrepancy[] }) {
  const translate = useTranslate();
  const [page, setPage] = useState(0);
  const rows = differences.slice(page * DIFFERENCES_PER_PAGE, (page + 1) * DIFFERENCES_PER_PAGE);
  return (
    <Box>
      <Typography variant="subtitle2" component="h4" sx={{ mb: 0.5 }}>
        {translate(r('report.differences'))}
      </Typography>
      <Box sx={{ overflowX: 'auto' }}>
        <Table size="small" data-testid="ledger-reconciliation-table">
          <TableHead>
            <TableRow>
              <TableCell>{translate(r('fields.kind'))}</TableCell>
              <TableCell>{translate(r('fields.refund'))}</TableCell>
              <TableCell>{translate(r('fields.order'))}</TableCell>
              <TableCell align="right">{translate(r('fields.ledger'))}</TableCell>
              <TableCell align="right">{translate(r('fields.provider'))}</TableCell>
              <TableCell>{translate(r('fields.providerStatus'))}</TableCell>
            </TableRow>
          </TableHead>
          <TableBody sx={{ '& td': { verticalAlign: 'top' } }}>
            {rows.map((d) => (
              <TableRow
                key={`${d.kind}-${d.refundId}`}
                data-testid="ledger-reconciliation-row"
                data-kind={d.kind}
                data-refund={d.refundId}
                data-ledger-minor={d.ledgerMinor}
                data-provider-minor={d.providerMinor}
              >
                <TableCell>
                  <Chip size="small" variant="outlined" color={KIND_COLORS[d.kind]} label={translate(r(`kinds.${d.kind}`))} />
                </TableCell>
                <TableCell sx={{ fontFamily: 'monospace', whiteSpace: 'nowrap' }} title={d.message}>
                  {d.refundId}
                </TableCell>
                <TableCell>
                  {d.orderId ? (
                    <Link component={LinkBase} to={`/orders/${encodeURIComponent(d.orderId)}/show`} sx={{ fontFamily: 'monospace' }}>
                      {d.orderId.slice(0, 8)}
                    </Link>
                  ) : (
                    '—'
                  )}
                </TableCell>
                <TableCell align="right" sx={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}>
                  <SideAmount minor={d.ledgerMinor} currency={d.ledgerCurrency} />
                </TableCell>
                <TableCell align="right" sx={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}>
                  <SideAmount minor={d.providerMinor} currency={d.providerCurrency} />
                </TableCell>
                <TableCell>{d.providerStatus ?? '—'}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </Box>
      {differences.length > DIFFERENCES_PER_PAGE && (
        <TablePagination
          component="div"
          count={differences.length}
          page={page}
          onPageChange={(_, next) => setPage(next)}
          rowsPerPage={DIFFERENCES_PER_PAGE}
          rowsPerPageOptions={[DIFFERENCES_PER_PAGE]}
        />
      )}
    </Box>
  );
}

function Totals({ totals }: { totals: { currency: string; ledgerMinor: number; providerMinor: number }[] }) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  return (
    <Box>
      <Typography variant="subtitle2" component="h4" sx={{ mb: 0.5 }}>
        {translate(r('report.totals'))}
      </Typography>
      <Table size="small" sx={{ maxWidth: 520 }} data-testid="ledger-reconciliation-totals">
        <TableHead>
          <TableRow>
            <TableCell>{translate(r('fields.currency'))}</TableCell>
            <TableCell align="right">{translate(r('fields.ledger'))}</TableCell>
            <TableCell align="right">{translate(r('fields.provider'))}</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {totals.map((t) => (
            <TableRow key={t.currency} data-currency={t.currency} data-ledger-minor={t.ledgerMinor} data-provider-minor={t.providerMinor}>
              <TableCell sx={{ fontWeight: 600 }}>{t.currency}</TableCell>
              <TableCell align="right" sx={{ fontVariantNumeric: 'tabular-nums' }}>
                {formatMoney(t.ledgerMinor, t.currency, locale)}
              </TableCell>
              <TableCell
                align="right"
                sx={{ fontVariantNumeric: 'tabular-nums', color: t.ledgerMinor === t.providerMinor ? undefined : 'warning.dark' }}
              >
                {formatMoney(t.providerMinor, t.currency, locale)}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Box>
  );
}

function EarlierReports({ reports, shownId, onShow }: { reports: Reconciliation[]; shownId?: string; onShow: (id: string) => void }) {
  const translate = useTranslate();
  if (reports.length < 2) return null;
  return (
    <Box>
      <Typography variant="subtitle2" component="h3" sx={{ mb: 0.5 }}>
        {translate(r('earlier'))}
      </Typography>
      <Box sx={{ overflowX: 'auto' }}>
        <Table size="small" data-testid="ledger-reconciliation-list">
          <TableHead>
            <TableRow>
              <TableCell>{translate(r('fields.number'))}</TableCell>
              <TableCell>{translate(r('fields.requestedAt'))}</TableCell>
              <TableCell>{translate(r('fields.requestedBy'))}</TableCell>
              <TableCell>{translate(r('fields.status'))}</TableCell>
              <TableCell>{translate(r('fields.result'))}</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {reports.map((report) => (
              <TableRow
                key={report.id}
                selected={report.id === shownId}
                data-testid="ledger-reconciliation-list-row"
                data-status={report.status}
                data-clean={report.clean ?? ''}
              >
                <TableCell>
                  <Link
                    component="button"
                    type="button"
                    onClick={() => onShow(report.id)}
                    aria-current={report.id === shownId ? 'true' : undefined}
                    sx={{ fontWeight: 600 }}
                  >
                    #{report.number}
                  </Link>
                </TableCell>
                <TableCell sx={{ whiteSpace: 'nowrap' }}>
                  <DateTimeField record={report} source="requestedAt" />
                </TableCell>
                <TableCell>{report.requestedByEmail ?? translate(r('values.system'))}</TableCell>
                <TableCell>
                  <StateChipField record={report} source="status" labels={r('statuses')} colors={STATUS_COLORS} />
                </TableCell>
                <TableCell>
                  <Typography variant="body2">
                    {report.status === 'failed' ? report.errorMessage : (report.summary?.message ?? translate(r('values.none')))}
                  </Typography>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </Box>
    </Box>
  );
}
