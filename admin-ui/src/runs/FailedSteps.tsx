import { useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import MuiButton from '@mui/material/Button';
import Link from '@mui/material/Link';
import Paper from '@mui/material/Paper';
import Skeleton from '@mui/material/Skeleton';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import ReplayIcon from '@mui/icons-material/Replay';
import { useQuery } from '@tanstack/react-query';
import { LinkBase, useCanAccess, useDataProvider, useLocaleState, useNotify, useRefresh, useTranslate } from 'react-admin';
import { DateTimeField } from '../common/DateTimeField';
import { formatMoney } from '../common/money';
import { ActionDialog } from '../incidents/ActionDialog';
import { apiPath, type AppDataProvider } from '../providers/dataProvider';
import type { Run, RunStep } from './runTypes';
import { t, useFormatCount, useFormatMoneyList, useRunControl } from './useRunApi';

const STEPS_SHOWN = 100;

/**
 * What a retry sends back to the providers, in words with exact figures:
 * "Refund of order EXT-1: $12.34", or "2 refunds of $20.00 and ¥1,500 and 1
 * shipment stop". Counts come from the run's progress; refund amounts only
 * when every failed step is loaded (integer sums of a complete list, never of
 * a partial page).
 */
function useRetryScope(run: Run, steps: { data: RunStep[]; total: number } | undefined) {
  const translate = useTranslate();
  const count = useFormatCount();
  const moneyList = useFormatMoneyList();
  const [locale] = useLocaleState();
  return (stepIds: string[] | undefined): string => {
    if (stepIds?.length === 1) {
      const step = steps?.data.find((s) => s.id === stepIds[0]);
      if (!step) return '';
      const action = translate(t(`run_actions_short.${step.action}`), { _: step.action });
      const amount =
        step.amountMinor !== null && step.currency ? moneyList([{ amountMinor: step.amountMinor, currency: step.currency }]) : '';
      return translate(t(amount ? 'controls.retry.scope_step_amount' : 'controls.retry.scope_step'), {
        action,
        order: step.externalId,
        amount,
      });
    }
    const failed = (action: string) => run.progress.find((p) => p.action === action)?.failed ?? 0;
    const parts: string[] = [];
    const refunds = failed('refund');
    if (refunds > 0) {
      const complete = steps && steps.data.length === steps.total;
      const sums = new Map<string, number>();
      for (const step of complete ? steps.data : []) {
        if (step.action === 'refund' && step.amountMinor !== null && step.currency) {
          sums.set(step.currency, (sums.get(step.currency) ?? 0) + step.amountMinor);
        }
      }
      const amounts = [...sums].sort(([a], [b]) => a.localeCompare(b)).map(([currency, amountMinor]) => ({ currency, amountMinor }));
      parts.push(
        translate(t(amounts.length ? 'controls.retry.scope_refunds_amount' : 'controls.retry.scope_refunds'), {
          smart_count: refunds,
          count: count(refunds),
          amount: moneyList(amounts),
        }),
      );
    }
    const stops = failed('stop_shipment');
    if (stops > 0) parts.push(translate(t('controls.retry.scope_stops'), { smart_count: stops, count: count(stops) }));
    return new Intl.ListFormat(locale, { style: 'long', type: 'conjunction' }).format(parts);
  };
}

/**
 * The run's failed steps with the provider's reason (`GET /api/runs/:id/steps?status=failed`),
 * and a retry of all of them or of one (`POST /api/runs/:id/retry`).
 */
export function FailedSteps({ run }: { run: Run }) {
  const translate = useTranslate();
  const notify = useNotify();
  const refresh = useRefresh();
  const count = useFormatCount();
  const [locale] = useLocaleState();
  const post = useRunControl();
  const dataProvider = useDataProvider<AppDataProvider>();
  const { canAccess: canControl } = useCanAccess({ resource: 'runs', action: 'control' });
  const [retrying, setRetrying] = useState<{ stepIds?: string[] }>();
  const failedNow = run.progress.reduce((n, p) => n + (p.action === 'notify' || p.action === 'quarantine_devices' ? 0 : p.failed), 0);
  const { data, isPending, error } = useQuery({
    // Read again whenever the number of failed steps or the run's state changes.
    queryKey: ['runs', run.id, 'steps', 'failed', failedNow, run.status],
    queryFn: async ({ signal }) =>
      (
        await dataProvider.call<{ data: RunStep[]; total: number }>({
          path: apiPath('runs', run.id, 'steps'),
          query: { status: 'failed', _perPage: STEPS_SHOWN, _sort: 'updatedAt', _order: 'DESC' },
          signal,
        })
      ).data,
    enabled: failedNow > 0,
  });
  const retryScope = useRetryScope(run, data);
  // Failed notices are in the run's outbox (RunOutbox), with their own retry.
  if (failedNow === 0) return null;

  const canRetry = Boolean(canControl) && run.allowedControls.includes('retry');
  const scope = retrying ? retryScope(retrying.stepIds) : '';
  const total = data?.total ?? failedNow;

  const confirm = async (reason: string | undefined) => {
    await post(run.id, 'retry', { ...(retrying?.stepIds ? { stepIds: retrying.stepIds } : {}), reason });
    notify(t('controls.retry.done'), { type: 'success', messageArgs: { reference: run.reference } });
    refresh();
  };

  return (
    <Paper variant="outlined" sx={{ p: 2.5, borderColor: 'error.light' }} data-testid="run-failed-steps" data-total={total}>
      <Stack
        direction={{ xs: 'column', sm: 'row' }}
        spacing={1}
        sx={{ justifyContent: 'space-between', alignItems: { sm: 'center' }, mb: 1 }}
      >
        <Box>
          <Typography variant="h6" component="h2" sx={{ fontSize: '1.05rem', fontWeight: 600 }}>
            {translate(t('failed.title'), { smart_count: total, count: count(total) })}
          </Typography>
          <Typography variant="body2" color="text.secondary">
            {translate(t(canRetry ? 'failed.intro' : 'failed.intro_no_retry'))}
          </Typography>
        </Box>
        {canRetry && (
          <MuiButton
            variant="contained"
            color="error"
            startIcon={<ReplayIcon />}
            onClick={() => setRetrying({})}
            sx={{ flexShrink: 0 }}
            data-testid="run-retry-button"
          >
            {translate(t('failed.retry_all'), { smart_count: failedNow, count: count(failedNow) })}
          </MuiButton>
        )}
      </Stack>
      {error ? (
        <Alert severity="error">{(error as Error).message}</Alert>
      ) : isPending ? (
        <Skeleton height={80} />
      ) : (
        <Box sx={{ overflowX: 'auto' }}>
          <Table size="small" data-testid="run-failed-steps-table">
            <TableHead>
              <TableRow>
                <TableCell>{translate(t('failed.columns.order'))}</TableCell>
                <TableCell>{translate(t('failed.columns.operation'))}</TableCell>
                <TableCell align="right">{translate(t('failed.columns.amount'))}</TableCell>
                <TableCell>{translate(t('failed.columns.reason'))}</TableCell>
                <TableCell align="right">{translate(t('failed.columns.attempts'))}</TableCell>
                <TableCell>{translate(t('failed.columns.when'))}</TableCell>
                {canRetry && <TableCell />}
              </TableRow>
            </TableHead>
            <TableBody>
              {data?.data.map((step) => (
                <TableRow
                  key={step.id}
                  data-testid="run-failed-step"
                  data-step-id={step.id}
                  data-code={step.errorCode ?? ''}
                  sx={{ '& td': { verticalAlign: 'top' } }}
                >
                  <TableCell>
                    <Link
                      component={LinkBase}
                      to={`/orders/${encodeURIComponent(step.orderId)}/show`}
                      sx={{ fontFamily: 'monospace', whiteSpace: 'nowrap' }}
                    >
                      {step.externalId}
                    </Link>
                  </TableCell>
                  <TableCell sx={{ whiteSpace: 'nowrap' }}>
                    {translate(t(`run_actions_short.${step.action}`), { _: step.action })}
                    {step.action === 'stop_shipment' && step.operation && (
                      <Typography variant="caption" color="text.secondary" component="div">
                        {translate(t(`operations.${step.operation}`), { _: step.operation })}
                      </Typography>
                    )}
                  </TableCell>
                  <TableCell align="right" sx={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}>
                    {step.amountMinor !== null && step.currency ? formatMoney(Number(step.amountMinor), step.currency, locale) : '—'}
                  </TableCell>
                  <TableCell sx={{ maxWidth: 420 }}>
                    {step.errorCode && (
                      <Typography variant="body2" sx={{ fontFamily: 'monospace', fontWeight: 600, color: 'error.main' }}>
                        {step.errorCode}
                      </Typography>
                    )}
                    <Typography variant="body2" color="text.secondary" sx={{ overflowWrap: 'anywhere' }}>
                      {step.errorMessage ?? translate(t('failed.no_message'))}
                    </Typography>
                  </TableCell>
                  <TableCell align="right" sx={{ fontVariantNumeric: 'tabular-nums' }}>
                    {step.attempts}
                  </TableCell>
                  <TableCell sx={{ whiteSpace: 'nowrap' }}>
                    <DateTimeField record={step} source={step.finishedAt ? 'finishedAt' : 'updatedAt'} />
                  </TableCell>
                  {canRetry && (
                    <TableCell align="right">
                      <MuiButton
                        size="small"
                        startIcon={<ReplayIcon />}
                        onClick={() => setRetrying({ stepIds: [step.id] })}
                        data-testid="run-retry-step"
                      >
                        {translate(t('failed.retry_one'))}
                      </MuiButton>
                    </TableCell>
                  )}
                </TableRow>
              ))}
            </TableBody>
          </Table>
          {total > STEPS_SHOWN && (
            <Typography variant="caption" color="text.secondary">
              {translate(t('failed.more'), { shown: count(STEPS_SHOWN), total: count(total) })}
            </Typography>
          )}
        </Box>
      )}
      <ActionDialog
        open={Boolean(retrying)}
        onClose={() => setRetrying(undefined)}
        title={translate(t('controls.retry.title'), { reference: run.reference })}
        confirmLabel={translate(t('controls.retry.confirm'), {
          smart_count: retrying?.stepIds?.length ?? failedNow,
          count: count(retrying?.stepIds?.length ?? failedNow),
        })}
        action="runs.control"
        onConfirm={confirm}
        data-testid="run-retry-dialog"
      >
        <Typography variant="body2" color="text.secondary">
          {translate(t(run.status === 'paused' ? 'controls.retry.intro_paused' : 'controls.retry.intro'), {
            smart_count: retrying?.stepIds?.length ?? failedNow,
            count: count(retrying?.stepIds?.length ?? failedNow),
          })}
        </Typography>
        {scope && (
          <Typography variant="body2" sx={{ fontWeight: 500 }} data-testid="run-retry-scope">
            {scope}
          </Typography>
        )}
      </ActionDialog>
    </Paper>
  );
}
