import type { MouseEvent } from 'react';
import Box from '@mui/material/Box';
import Link from '@mui/material/Link';
import Stack from '@mui/material/Stack';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { LinkBase, useLocaleState, useRecordContext, useTranslate, type FieldProps } from 'react-admin';
import { formatMoney } from '../common/money';
import { StateChipField } from '../common/StateChipField';
import { ActionIcon } from './ActionIcon';
import { RUN_ACTIONS, RUN_STATUS_COLOR, RUN_STATUS_OUTLINED, type RunRow } from './runTypes';
import { t, useFormatCount } from './useRunApi';

export function RunStatusField({ source = 'status', record }: Partial<FieldProps>) {
  return <StateChipField source={source} record={record} labels={t('statuses')} colors={RUN_STATUS_COLOR} outlined={RUN_STATUS_OUTLINED} />;
}

/** "RUN-0042" in monospace, a link to the run (so a keyboard reaches it; the row's click does the same). */
export function RunReferenceField(_props: Partial<FieldProps>) {
  const record = useRecordContext<RunRow>();
  if (!record) return null;
  return (
    <Link
      component={LinkBase}
      to={`/runs/${encodeURIComponent(record.id)}/show`}
      onClick={(event: MouseEvent) => event.stopPropagation()}
      variant="body2"
      sx={{ fontFamily: 'monospace', fontWeight: 600, whiteSpace: 'nowrap' }}
    >
      {record.reference}
    </Link>
  );
}

/** The run's chosen actions as icons with their names (tooltip and accessible label), in the catalogue's order. */
export function RunActionsField({ record: given }: Partial<FieldProps>) {
  const context = useRecordContext<RunRow>();
  const record = (given as RunRow | undefined) ?? context;
  const translate = useTranslate();
  if (!record?.actions) return null;
  const actions = RUN_ACTIONS.filter((a) => record.actions.includes(a));
  return (
    <Stack
      direction="row"
      spacing={0.75}
      sx={{ alignItems: 'center' }}
      aria-label={actions.map((a) => translate(t(`run_actions.${a}`))).join(', ')}
    >
      {actions.map((action) => (
        <Tooltip key={action} title={translate(t(`run_actions.${action}`))}>
          <Box component="span" sx={{ display: 'inline-flex', p: 0.5, borderRadius: 1, bgcolor: 'action.hover' }} data-action={action}>
            <ActionIcon action={action} />
          </Box>
        </Tooltip>
      ))}
    </Stack>
  );
}

export interface BarSegment {
  key: string;
  value: number;
  color: string;
  label: string;
}

/**
 * One bar split into coloured parts (done, failed, skipped, cancelled, in
 * flight); what is left of the track is still to do. Exposed to assistive
 * technology as one progressbar with the share finished.
 */
export function SegmentedBar({
  segments,
  total,
  height = 10,
  label,
}: {
  segments: BarSegment[];
  total: number;
  height?: number;
  label: string;
}) {
  const finished = segments.filter((s) => s.key !== 'inFlight').reduce((n, s) => n + s.value, 0);
  const percent = total > 0 ? Math.round((finished / total) * 100) : 0;
  return (
    <Box
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent}
      sx={{ display: 'flex', height, borderRadius: height / 2, overflow: 'hidden', bgcolor: 'action.hover', width: '100%' }}
    >
      {total > 0 &&
        segments
          .filter((s) => s.value > 0)
          .map((s) => (
            <Box
              key={s.key}
              title={`${s.label}: ${s.value}`}
              sx={{ width: `${(s.value / total) * 100}%`, minWidth: 3, bgcolor: s.color, transition: 'width 600ms ease' }}
            />
          ))}
    </Box>
  );
}

/** The list's compact progress: a bar over the steps (orders × step actions) and "done / total". */
export function StepsProgressField(_props: Partial<FieldProps>) {
  const record = useRecordContext<RunRow>();
  const translate = useTranslate();
  const count = useFormatCount();
  const steps = record?.steps;
  if (!record) return null;
  if (!steps || !steps.total) {
    return (
      <Typography variant="caption" color="text.secondary">
        {translate(t(record.status === 'awaiting_approval' || record.status === 'queued' ? 'progress.not_started' : 'progress.no_steps'))}
      </Typography>
    );
  }
  // Cancelled steps never reached the provider; their orders are free for a later run.
  const cancelled = steps.cancelled ?? Math.max(0, steps.total - steps.done - steps.failed - steps.skipped - steps.open);
  const segments: BarSegment[] = [
    { key: 'done', value: steps.done, color: 'success.main', label: translate(t('progress.done')) },
    { key: 'failed', value: steps.failed, color: 'error.main', label: translate(t('progress.failed')) },
    { key: 'skipped', value: steps.skipped, color: 'grey.400', label: translate(t('progress.skipped')) },
    { key: 'cancelled', value: cancelled, color: 'warning.light', label: translate(t('progress.cancelled')) },
  ];
  const finished = steps.total - steps.open;
  return (
    <Box
      sx={{ minWidth: 140 }}
      data-testid="run-row-progress"
      data-done={steps.done}
      data-failed={steps.failed}
      data-cancelled={cancelled}
      data-total={steps.total}
    >
      <SegmentedBar segments={segments} total={steps.total} height={6} label={translate(t('fields.progress'))} />
      <Typography variant="caption" color="text.secondary" sx={{ fontVariantNumeric: 'tabular-nums' }}>
        {translate(t('progress.steps_finished'), { finished: count(finished), total: count(steps.total) })}
        {steps.failed > 0 && (
          <Box component="span" sx={{ color: 'error.main', fontWeight: 600 }}>
            {' · '}
            {translate(t('progress.failed_count'), { smart_count: steps.failed, count: count(steps.failed) })}
          </Box>
        )}
        {cancelled > 0 && ` · ${translate(t('progress.cancelled_count'), { smart_count: cancelled, count: count(cancelled) })}`}
      </Typography>
    </Box>
  );
}

/** The refund the preview showed, per currency (never summed across currencies). */
export function RefundTotalsField(_props: Partial<FieldProps>) {
  const record = useRecordContext<RunRow>();
  const [locale] = useLocaleState();
  const totals = record?.refundTotals;
  if (!record?.actions?.includes('refund')) return <Typography variant="body2">—</Typography>;
  if (!totals?.length) return <Typography variant="body2">—</Typography>;
  return (
    <Box sx={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}>
      {totals.map((m) => (
        <Typography key={m.currency} variant="body2" component="div" data-currency={m.currency} data-minor={m.amountMinor}>
          {formatMoney(Number(m.amountMinor), m.currency, locale)}
        </Typography>
      ))}
    </Box>
  );
}
