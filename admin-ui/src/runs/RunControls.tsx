import { useState } from 'react';
import Alert from '@mui/material/Alert';
import MuiButton from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import CancelIcon from '@mui/icons-material/HighlightOff';
import PauseIcon from '@mui/icons-material/PauseCircleOutline';
import PlayIcon from '@mui/icons-material/PlayCircleOutline';
import ThumbDownIcon from '@mui/icons-material/ThumbDownAlt';
import ThumbUpIcon from '@mui/icons-material/ThumbUpAlt';
import { useCanAccess, useGetIdentity, useNotify, useRefresh, useTranslate } from 'react-admin';
import { ActionDialog } from '../incidents/ActionDialog';
import { ScopeStatement } from './RunScope';
import type { Run, RunControl } from './runTypes';
import { t, useRunControl } from './useRunApi';

type HeaderControl = Exclude<RunControl, 'retry'>;

const look: Record<
  HeaderControl,
  { icon: typeof PauseIcon; color: 'primary' | 'error' | 'warning' | 'success'; variant: 'contained' | 'outlined' }
> = {
  approve: { icon: ThumbUpIcon, color: 'success', variant: 'contained' },
  reject: { icon: ThumbDownIcon, color: 'error', variant: 'outlined' },
  pause: { icon: PauseIcon, color: 'warning', variant: 'outlined' },
  resume: { icon: PlayIcon, color: 'primary', variant: 'contained' },
  cancel: { icon: CancelIcon, color: 'error', variant: 'outlined' },
};

const ORDER: HeaderControl[] = ['approve', 'reject', 'resume', 'pause', 'cancel'];

/** Who may approve this run: an incident commander who did not request it (the API says the same, with a 409). */
export function useApprovalRights(run: Run | undefined) {
  const { canAccess: canApprove } = useCanAccess({ resource: 'runs', action: 'approve' });
  const { identity } = useGetIdentity();
  const isRequester = Boolean(run && identity && String(identity.id) === run.requestedBy);
  return { canApprove: Boolean(canApprove) && !isRequester, isRequester, hasPermission: Boolean(canApprove) };
}

/**
 * The run's controls that apply now (the API's `allowedControls`), each
 * behind its permission (`runs.approve`, `runs.control`): approve and reject
 * only for an incident commander who did not request the run. Each asks for
 * a reason and confirms with the run's scope; a 409 (someone acted first,
 * the run moved on) is shown in the dialog.
 */
export function RunControls({ run }: { run: Run }) {
  const translate = useTranslate();
  const notify = useNotify();
  const refresh = useRefresh();
  const post = useRunControl();
  const { canAccess: canControl } = useCanAccess({ resource: 'runs', action: 'control' });
  const { canApprove } = useApprovalRights(run);
  const [control, setControl] = useState<HeaderControl>();

  const offered = ORDER.filter(
    (c) => run.allowedControls.includes(c) && (c === 'approve' || c === 'reject' ? canApprove : Boolean(canControl)),
  );

  const confirm = async (reason: string | undefined) => {
    if (!control) return;
    await post(run.id, control, { reason });
    notify(t(`controls.${control}.done`), { type: 'success', messageArgs: { reference: run.reference } });
    refresh();
  };

  // Cancelling before anything started withdraws the request; afterwards, steps in flight finish.
  const cancelKey = ['awaiting_approval', 'queued', 'planning'].includes(run.status) ? 'intro_before' : 'intro';

  return (
    <>
      <Stack
        direction="row"
        spacing={1}
        useFlexGap
        sx={{ flexWrap: 'wrap', justifyContent: { md: 'flex-end' } }}
        data-testid="run-controls"
      >
        {offered.map((c) => {
          const { icon: Icon, color, variant } = look[c];
          return (
            <MuiButton
              key={c}
              size="small"
              variant={variant}
              color={color}
              startIcon={<Icon />}
              onClick={() => setControl(c)}
              data-testid={`run-${c}-button`}
            >
              {translate(t(`controls.${c}.button`))}
            </MuiButton>
          );
        })}
      </Stack>
      <ActionDialog
        open={Boolean(control)}
        onClose={() => setControl(undefined)}
        title={control ? translate(t(`controls.${control}.title`), { reference: run.reference }) : ''}
        confirmLabel={control ? translate(t(`controls.${control}.confirm`)) : ''}
        confirmColor={control ? look[control].color : 'primary'}
        action={control === 'approve' || control === 'reject' ? 'runs.approve' : 'runs.control'}
        onConfirm={confirm}
        maxWidth="sm"
        data-testid="run-control-dialog"
      >
        {control && (
          <Typography variant="body2" color="text.secondary">
            {translate(t(`controls.${control}.${control === 'cancel' ? cancelKey : 'intro'}`), { reference: run.reference })}
          </Typography>
        )}
        {(control === 'approve' || control === 'reject' || control === 'cancel') && (
          <Alert severity={control === 'approve' ? 'warning' : 'info'} icon={false} sx={{ '& .MuiAlert-message': { width: '100%' } }}>
            <Typography variant="overline" color="text.secondary" component="div">
              {translate(t('new.scope_title'))}
            </Typography>
            <ScopeStatement preview={run.plan ?? run.preview} testId="run-control-scope" />
          </Alert>
        )}
      </ActionDialog>
    </>
  );
}
