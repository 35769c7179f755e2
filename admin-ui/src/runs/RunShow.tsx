import type { ReactNode } from 'react';
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Divider from '@mui/material/Divider';
import Link from '@mui/material/Link';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import GavelIcon from '@mui/icons-material/Gavel';
import ReportProblemIcon from '@mui/icons-material/ReportProblemOutlined';
import { LinkBase, Show, useRecordContext, useTranslate } from 'react-admin';
import { DateTimeField } from '../common/DateTimeField';
import { ActionIcon } from './ActionIcon';
import { FailedSteps } from './FailedSteps';
import { PreviewFigures } from './PreviewFigures';
import { RunControls, useApprovalRights } from './RunControls';
import { RunStatusField } from './RunFields';
import { RunOutbox } from './RunOutbox';
import { RunProgressPanel } from './RunProgressPanel';
import { RunReportPanel } from './RunReportPanel';
import { ApprovalNotice } from './RunScope';
import { isFinalRun, MOVING_RUN_STATUSES, RUN_ACTIONS, type Run } from './runTypes';
import { t } from './useRunApi';

/** Every 2 s while the engine moves the run, every 10 s while it waits for a person, not at all once final. */
const refetchInterval = (query: { state: { data?: unknown } }) => {
  const status = (query.state.data as Run | undefined)?.status;
  if (!status) return false;
  if (MOVING_RUN_STATUSES.includes(status)) return 2000;
  return isFinalRun(status) ? false : 10_000;
};

/** Who did something to the run, when, and why (the reason as they wrote it). */
function Decision({
  label,
  email,
  at,
  reason,
  testId,
}: {
  label: string;
  email: string | null;
  at: string | null;
  reason: string | null;
  testId: string;
}) {
  const translate = useTranslate();
  return (
    <Box sx={{ minWidth: 0 }} data-testid={testId}>
      <Typography variant="overline" color="text.secondary" component="div" sx={{ lineHeight: 1.6 }}>
        {label}
      </Typography>
      <Typography variant="body2" sx={{ fontWeight: 600 }}>
        {email ?? translate(t('values.nobody'))}
      </Typography>
      {at && (
        <Typography variant="caption" color="text.secondary" component="div">
          <DateTimeField record={{ id: at, at }} source="at" />
        </Typography>
      )}
      {reason && (
        <Typography
          variant="body2"
          component="blockquote"
          sx={{
            m: 0,
            mt: 0.75,
            pl: 1.25,
            borderLeft: 3,
            borderColor: 'divider',
            color: 'text.secondary',
            whiteSpace: 'pre-wrap',
            overflowWrap: 'anywhere',
          }}
          data-testid={`${testId}-reason`}
        >
          {reason}
        </Typography>
      )}
    </Box>
  );
}

function RunHeader({ run }: { run: Run }) {
  const translate = useTranslate();
  const decided = run.decidedByEmail !== null;
  const rejected = run.status === 'rejected';
  return (
    <Paper variant="outlined" sx={{ p: 2.5 }} data-testid="run-header">
      <Stack direction={{ xs: 'column', md: 'row' }} spacing={2} sx={{ justifyContent: 'space-between' }}>
        <Box sx={{ minWidth: 0 }}>
          <Stack direction="row" spacing={1} useFlexGap sx={{ alignItems: 'center', flexWrap: 'wrap', mb: 0.5 }}>
            <Typography
              variant="subtitle1"
              component="span"
              sx={{ fontFamily: 'monospace', fontWeight: 700, color: 'text.secondary' }}
              data-testid="run-reference"
            >
              {run.reference}
            </Typography>
            <Box data-testid="run-status" data-status={run.status}>
              <RunStatusField record={run} />
            </Box>
            {run.approvalRequired && (
              <Chip
                size="small"
                variant="outlined"
                icon={<GavelIcon />}
                label={translate(t('values.approval_required'))}
                data-testid="run-approval-required"
              />
            )}
          </Stack>
          <Typography variant="h5" component="h1" sx={{ fontWeight: 600, overflowWrap: 'anywhere' }} data-testid="run-title">
            {translate(t('show.title'), { incident: run.incidentTitle })}
          </Typography>
          <Link
            component={LinkBase}
            to={`/incidents/${encodeURIComponent(run.incidentId)}/show?tab=remediation`}
            variant="body2"
            sx={{ display: 'inline-flex', alignItems: 'center', gap: 0.5, mt: 0.5 }}
            data-testid="run-incident-link"
          >
            <ReportProblemIcon sx={{ fontSize: 16 }} />
            {translate(t('show.open_incident'), { reference: run.incidentReference })}
          </Link>
          <Stack direction="row" spacing={1.5} useFlexGap sx={{ mt: 1.5, flexWrap: 'wrap' }}>
            {RUN_ACTIONS.filter((a) => run.actions.includes(a)).map((action) => (
              <Stack key={action} direction="row" spacing={0.5} sx={{ alignItems: 'center' }}>
                <ActionIcon action={action} />
                <Typography variant="body2">{translate(t(`run_actions.${action}`))}</Typography>
              </Stack>
            ))}
          </Stack>
        </Box>
        <Box sx={{ flexShrink: 0 }}>
          <RunControls run={run} />
        </Box>
      </Stack>
      <Divider sx={{ my: 2 }} />
      <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', md: 'repeat(3, minmax(0, 1fr))' } }}>
        <Decision
          label={translate(t('show.requested'))}
          email={run.requestedByEmail}
          at={run.requestedAt}
          reason={run.reason}
          testId="run-requested"
        />
        {run.approvalRequired && (
          <Decision
            label={translate(t(decided ? (rejected ? 'show.rejected' : 'show.approved') : 'show.approval'))}
            email={decided ? run.decidedByEmail : translate(t('show.waiting'))}
            at={run.decidedAt}
            reason={run.decisionReason}
            testId="run-decided"
          />
        )}
        <Box>
          <Typography variant="overline" color="text.secondary" component="div" sx={{ lineHeight: 1.6 }}>
            {translate(t('show.timing'))}
          </Typography>
          <Typography variant="body2">
            {translate(t('show.started'))}{' '}
            {run.startedAt ? <DateTimeField record={run} source="startedAt" /> : translate(t('values.not_yet'))}
          </Typography>
          <Typography variant="body2">
            {translate(t('show.finished'))}{' '}
            {run.finishedAt ? <DateTimeField record={run} source="finishedAt" /> : translate(t('values.not_yet'))}
          </Typography>
        </Box>
      </Box>
    </Paper>
  );
}

/** Waiting for approval: what crossed the threshold, and why this person can or cannot approve. */
function ApprovalPanel({ run }: { run: Run }) {
  const translate = useTranslate();
  const { canApprove, isRequester, hasPermission } = useApprovalRights(run);
  const why = isRequester && hasPermission ? 'requester' : isRequester ? 'requester_no_role' : hasPermission ? 'can_approve' : 'no_role';
  return (
    <Box data-testid="run-approval-panel" data-why={why} data-can-approve={String(canApprove)}>
      <ApprovalNotice
        approval={run.preview.approval}
        testId="run-approval-notice"
        title={translate(t('approval.waiting_title'))}
        message={translate(t(`approval.why.${why}`))}
      />
    </Box>
  );
}

function Column({
  title,
  subtitle,
  children,
  testId,
  sticky = false,
}: {
  title: string;
  subtitle?: ReactNode;
  children: ReactNode;
  testId: string;
  sticky?: boolean;
}) {
  return (
    <Paper
      variant="outlined"
      sx={{ p: 2.5, minWidth: 0, ...(sticky ? { position: { lg: 'sticky' }, top: { lg: 72 } } : {}) }}
      data-testid={testId}
    >
      <Typography variant="h6" component="h2" sx={{ fontSize: '1.05rem', fontWeight: 600 }}>
        {title}
      </Typography>
      {subtitle && (
        <Typography variant="caption" color="text.secondary" component="div" sx={{ mb: 1.5 }}>
          {subtitle}
        </Typography>
      )}
      {children}
    </Paper>
  );
}

/**
 * A run's page: who asked and who approved and why, live progress per action,
 * the failed steps with a retry, the customer notices (outbox) with a retry of
 * the failed ones, and the preview beside what actually happened.
 */
function RunPage() {
  const run = useRecordContext<Run>();
  const translate = useTranslate();
  if (!run?.progress) return null;
  // Before approval (or when rejected or withdrawn) nothing has moved: no progress to show.
  const started = Boolean(run.startedAt || run.plan || MOVING_RUN_STATUSES.includes(run.status) || run.status === 'paused');
  return (
    <Box
      sx={{ p: { xs: 1, md: 2 }, display: 'grid', gap: 2, gridTemplateColumns: 'minmax(0, 1fr)' }}
      data-testid="run-show"
      data-status={run.status}
    >
      <RunHeader run={run} />
      {run.status === 'awaiting_approval' && <ApprovalPanel run={run} />}
      {run.status === 'rejected' && (
        <Alert severity="info" data-testid="run-rejected-notice">
          <AlertTitle>{translate(t('show.rejected_title'))}</AlertTitle>
          {translate(t('show.rejected_text'))}
        </Alert>
      )}
      {started && <RunProgressPanel run={run} />}
      <FailedSteps run={run} />
      {started && run.actions.includes('notify') && <RunOutbox run={run} />}
      {started && !run.report && <RunReportPanel report={null} />}
      {/* The preview beside the report once there is one; alone (and wide) before. */}
      <Box
        sx={{
          display: 'grid',
          gap: 2,
          gridTemplateColumns: { xs: 'minmax(0, 1fr)', lg: run.report ? 'repeat(2, minmax(0, 1fr))' : 'minmax(0, 1fr)' },
          alignItems: 'start',
        }}
      >
        <Column
          title={translate(t('sections.preview'))}
          subtitle={
            <>
              {translate(t('show.preview_at'))} <DateTimeField record={run.preview} source="computedAt" />
            </>
          }
          testId="run-preview-column"
        >
          <PreviewFigures figures={run.preview} testId="run-show-preview" columns={run.report ? 1 : 2} />
        </Column>
        {run.report && (
          <Column title={translate(t('sections.report'))} subtitle={translate(t('show.report_intro'))} testId="run-report-column" sticky>
            <RunReportPanel report={run.report} />
          </Column>
        )}
      </Box>
    </Box>
  );
}

export default function RunShow() {
  return (
    <Show
      actions={false}
      queryOptions={{ refetchInterval }}
      sx={{ '& .RaShow-card': { bgcolor: 'transparent', boxShadow: 'none', overflow: 'visible' } }}
    >
      <RunPage />
    </Show>
  );
}
