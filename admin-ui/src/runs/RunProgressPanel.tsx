import Box from '@mui/material/Box';
import LinearProgress from '@mui/material/LinearProgress';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useTranslate } from 'react-admin';
import { ActionIcon } from './ActionIcon';
import { SegmentedBar, type BarSegment } from './RunFields';
import type { ActionProgress, Run, RunAction, RunFigures } from './runTypes';
import { t, useFormatCount, useFormatPace } from './useRunApi';

/** How many the preview expects the action to act on (shown until planning writes the steps). */
function expectedOf(figures: RunFigures, action: RunAction): number {
  if (action === 'stop_shipment') return figures.stop_shipment?.orders ?? 0;
  if (action === 'refund') return figures.refund?.orders ?? 0;
  if (action === 'notify') return figures.notify?.customers ?? 0;
  return figures.quarantine_devices?.devices ?? 0;
}

function Legend({ color, label, value, testId }: { color: string; label: string; value: string; testId: string }) {
  return (
    <Stack direction="row" spacing={0.75} sx={{ alignItems: 'center' }} data-testid={testId}>
      <Box sx={{ width: 10, height: 10, borderRadius: '50%', bgcolor: color, flexShrink: 0 }} aria-hidden />
      <Typography variant="body2" color="text.secondary" sx={{ whiteSpace: 'nowrap' }}>
        {label}{' '}
        <Box component="span" sx={{ color: 'text.primary', fontWeight: 600, fontVariantNumeric: 'tabular-nums' }}>
          {value}
        </Box>
      </Typography>
    </Stack>
  );
}

function ActionProgressRow({ progress, run }: { progress: ActionProgress; run: Run }) {
  const translate = useTranslate();
  const count = useFormatCount();
  const pace = useFormatPace();
  const { action } = progress;
  const planned = progress.total > 0 || Boolean(run.plan);
  const total = planned ? progress.total : expectedOf(run.preview, action);
  const finished = progress.done + progress.failed + progress.skipped + progress.cancelled;
  const percent = total > 0 ? Math.floor((finished / total) * 100) : planned ? 100 : 0;
  const segments: BarSegment[] = [
    { key: 'done', value: progress.done, color: 'success.main', label: translate(t(`progress.done_labels.${action}`)) },
    { key: 'failed', value: progress.failed, color: 'error.main', label: translate(t('progress.failed')) },
    { key: 'skipped', value: progress.skipped, color: 'grey.400', label: translate(t('progress.skipped')) },
    { key: 'cancelled', value: progress.cancelled, color: 'warning.light', label: translate(t('progress.cancelled')) },
    { key: 'inFlight', value: progress.inFlight, color: 'info.light', label: translate(t('progress.in_flight')) },
  ];
  const open = progress.pending + progress.inFlight;
  const eta = planned && open === 0 ? pace.eta(0) : run.status === 'running' ? pace.eta(progress.etaSeconds) : '—';
  return (
    <Box
      data-testid={`run-progress-${action}`}
      data-total={total}
      data-done={progress.done}
      data-failed={progress.failed}
      data-skipped={progress.skipped}
      data-cancelled={progress.cancelled}
      data-in-flight={progress.inFlight}
      data-pending={progress.pending}
      sx={{ py: 1.5 }}
    >
      <Stack direction="row" spacing={1} sx={{ alignItems: 'center', mb: 0.75 }}>
        <ActionIcon action={action} />
        <Typography variant="body1" sx={{ fontWeight: 600, flex: 1 }}>
          {translate(t(`run_actions.${action}`))}
        </Typography>
        <Typography variant="body2" sx={{ fontVariantNumeric: 'tabular-nums' }}>
          <Box component="span" sx={{ fontWeight: 700, fontSize: '1.05rem' }}>
            {count(finished)}
          </Box>
          <Box component="span" sx={{ color: 'text.secondary' }}>
            {' / '}
            {translate(t(`units.${progress.unit}`), { smart_count: total, count: count(total) })}
          </Box>
          <Box component="span" sx={{ color: 'text.secondary', ml: 1 }}>
            {percent}%
          </Box>
        </Typography>
      </Stack>
      <SegmentedBar segments={segments} total={total} height={12} label={translate(t(`run_actions.${action}`))} />
      <Stack direction="row" spacing={2.5} useFlexGap sx={{ flexWrap: 'wrap', mt: 1, alignItems: 'center' }}>
        <Legend
          color="success.main"
          label={translate(t(`progress.done_labels.${action}`))}
          value={count(progress.done)}
          testId={`run-progress-${action}-done`}
        />
        <Legend
          color="error.main"
          label={translate(t('progress.failed'))}
          value={count(progress.failed)}
          testId={`run-progress-${action}-failed`}
        />
        <Legend
          color="grey.400"
          label={translate(t('progress.skipped'))}
          value={count(progress.skipped)}
          testId={`run-progress-${action}-skipped`}
        />
        {progress.cancelled > 0 && (
          <Legend
            color="warning.light"
            label={translate(t('progress.cancelled'))}
            value={count(progress.cancelled)}
            testId={`run-progress-${action}-cancelled`}
          />
        )}
        {progress.inFlight > 0 && (
          <Legend
            color="info.light"
            label={translate(t('progress.in_flight'))}
            value={count(progress.inFlight)}
            testId={`run-progress-${action}-in-flight`}
          />
        )}
        <Legend
          color="action.hover"
          label={translate(t('progress.pending'))}
          value={count(planned ? progress.pending : total)}
          testId={`run-progress-${action}-pending`}
        />
        <Box sx={{ flex: 1 }} />
        {action !== 'quarantine_devices' && (
          <Typography
            variant="body2"
            color="text.secondary"
            sx={{ fontVariantNumeric: 'tabular-nums' }}
            data-testid={`run-progress-${action}-rate`}
          >
            {pace.rate(progress.ratePerSecond)}
            {' · '}
            {translate(t('progress.eta'))} {eta}
          </Typography>
        )}
      </Stack>
    </Box>
  );
}

/** One live bar per action (done / failed / skipped / pending, rate, ETA), from `GET /api/runs/:id` polled every 2 s. */
export function RunProgressPanel({ run }: { run: Run }) {
  const translate = useTranslate();
  const waiting = ['queued', 'planning'].includes(run.status);
  return (
    <Paper variant="outlined" sx={{ p: 2.5 }} data-testid="run-progress">
      <Stack direction="row" spacing={1} sx={{ alignItems: 'baseline', justifyContent: 'space-between', mb: 0.5 }}>
        <Typography variant="h6" component="h2" sx={{ fontSize: '1.05rem', fontWeight: 600 }}>
          {translate(t('sections.progress'))}
        </Typography>
        <Typography variant="body2" color="text.secondary" data-testid="run-progress-state">
          {translate(t(`progress.state.${run.status}`), { _: '' })}
        </Typography>
      </Stack>
      {waiting && <LinearProgress sx={{ my: 1, borderRadius: 1 }} aria-label={translate(t(`progress.state.${run.status}`))} />}
      <Box sx={{ '& > * + *': { borderTop: 1, borderColor: 'divider' } }}>
        {run.progress.map((p) => (
          <ActionProgressRow key={p.action} progress={p} run={run} />
        ))}
      </Box>
    </Paper>
  );
}
