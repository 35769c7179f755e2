import { useState } from 'react';
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import MuiButton from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import CircularProgress from '@mui/material/CircularProgress';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Step from '@mui/material/Step';
import StepLabel from '@mui/material/StepLabel';
import Stepper from '@mui/material/Stepper';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useCanAccess, useDataProvider, useNotify, useTranslate } from 'react-admin';
import { useNavigate } from 'react-router';
import { apiPath, type AppDataProvider } from '../providers/dataProvider';
import { ActionIcon } from '../runs/ActionIcon';
import { ApprovalNotice, ScopeStatement } from '../runs/RunScope';
import { PreviewFigures } from '../runs/PreviewFigures';
import { RUN_ACTIONS, type Run, type RunAction, type RunPreview } from '../runs/runTypes';
import { t } from '../runs/useRunApi';
import type { Incident } from './incidentTypes';
import { focusFirstFieldOnOpen } from '../common/focusFirstField';
import { REASON_MAX_LENGTH } from '../common/ReasonDialog';
import { REASON_MIN_LENGTH, useErrorText } from './useIncidentApi';

const STEPS = ['actions', 'preview', 'confirm'] as const;

/**
 * "New remediation run": choose actions → the API's dry-run preview (nothing
 * is written) → a required reason and a confirmation naming the exact scope.
 * Requesting opens the run's page; above the refund threshold the run waits
 * there for another incident commander.
 */
export function NewRunDialog({ incident, open, onClose }: { incident: Incident; open: boolean; onClose: () => void }) {
  const translate = useTranslate();
  const notify = useNotify();
  const navigate = useNavigate();
  const errorText = useErrorText();
  const dataProvider = useDataProvider<AppDataProvider>();
  const { canAccess: canCreate } = useCanAccess({ resource: 'runs', action: 'create' });
  const [step, setStep] = useState(0);
  const [actions, setActions] = useState<RunAction[]>([...RUN_ACTIONS]);
  const [preview, setPreview] = useState<RunPreview>();
  const [reason, setReason] = useState('');
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string>();

  const toggle = (action: RunAction) => {
    setPreview(undefined);
    setActions((current) =>
      current.includes(action) ? current.filter((a) => a !== action) : RUN_ACTIONS.filter((a) => a === action || current.includes(a)),
    );
  };

  const loadPreview = async () => {
    setPending(true);
    setError(undefined);
    try {
      const { data } = await dataProvider.call<RunPreview>({
        method: 'POST',
        path: apiPath('incidents', incident.id, 'runs', 'preview'),
        body: { actions },
      });
      setPreview(data);
      setStep(1);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setPending(false);
    }
  };

  const request = async () => {
    setPending(true);
    setError(undefined);
    try {
      const { data } = await dataProvider.call<Run>({
        method: 'POST',
        path: apiPath('incidents', incident.id, 'runs'),
        body: { actions, reason: reason.trim() },
      });
      notify(t(data.status === 'awaiting_approval' ? 'notifications.requested_approval' : 'notifications.requested'), {
        type: 'success',
        messageArgs: { reference: data.reference },
      });
      onClose();
      navigate(`/runs/${encodeURIComponent(data.id)}/show`);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setPending(false);
    }
  };

  const back = () => {
    setError(undefined);
    setStep((s) => Math.max(0, s - 1));
  };

  const blocked = Boolean(preview?.blockers.length);
  const reasonOk = reason.trim().length >= REASON_MIN_LENGTH;

  return (
    <Dialog
      open={open}
      onClose={pending ? undefined : onClose}
      fullWidth
      maxWidth="md"
      slotProps={focusFirstFieldOnOpen}
      data-testid="run-new-dialog"
      scroll="paper"
    >
      <DialogTitle sx={{ pb: 1 }}>
        {translate(t('new.title'), { reference: incident.reference })}
        <Stepper activeStep={step} sx={{ mt: 2 }}>
          {STEPS.map((s) => (
            <Step key={s}>
              <StepLabel>{translate(t(`new.steps.${s}`))}</StepLabel>
            </Step>
          ))}
        </Stepper>
      </DialogTitle>
      <DialogContent dividers>
        {step === 0 && (
          <Stack spacing={1.5} data-testid="run-new-actions">
            <Typography variant="body2" color="text.secondary">
              {translate(t('new.actions_intro'), { smart_count: incident.members?.confirmed ?? 0 })}
            </Typography>
            {RUN_ACTIONS.map((action) => {
              const checked = actions.includes(action);
              return (
                <Paper
                  key={action}
                  variant="outlined"
                  component="label"
                  sx={{
                    display: 'flex',
                    gap: 1.5,
                    alignItems: 'flex-start',
                    p: 1.5,
                    cursor: 'pointer',
                    borderColor: checked ? 'primary.main' : 'divider',
                    bgcolor: checked ? 'action.selected' : undefined,
                    transition: 'background-color 120ms, border-color 120ms',
                  }}
                >
                  <Checkbox
                    checked={checked}
                    onChange={() => toggle(action)}
                    sx={{ p: 0.5 }}
                    slotProps={{ input: { 'data-testid': `run-action-${action}` } as object }}
                  />
                  <ActionIcon action={action} sx={{ mt: 0.5 }} />
                  <Box>
                    <Typography variant="body1" sx={{ fontWeight: 600 }}>
                      {translate(t(`run_actions.${action}`))}
                    </Typography>
                    <Typography variant="body2" color="text.secondary">
                      {translate(t(`action_help.${action}`))}
                    </Typography>
                  </Box>
                </Paper>
              );
            })}
          </Stack>
        )}
        {step === 1 && preview && (
          <Stack spacing={2}>
            {blocked ? (
              <Alert severity="error" data-testid="run-preview-blockers">
                <AlertTitle>{translate(t('new.blocked_title'))}</AlertTitle>
                {preview.blockers.map((b) => (
                  <div key={b}>{b}</div>
                ))}
              </Alert>
            ) : (
              <ApprovalNotice approval={preview.approval} testId="run-preview-approval" />
            )}
            <Typography variant="body2" color="text.secondary">
              {translate(t('new.preview_intro'))}
            </Typography>
            <PreviewFigures figures={preview} />
            {!canCreate && <Alert severity="info">{translate(t('new.cannot_request'))}</Alert>}
          </Stack>
        )}
        {step === 2 && preview && (
          <Stack spacing={2.5}>
            <Paper variant="outlined" sx={{ p: 2, bgcolor: 'action.hover' }}>
              <Typography variant="overline" color="text.secondary" component="div">
                {translate(t('new.scope_title'))}
              </Typography>
              <ScopeStatement preview={preview} testId="run-confirm-scope" />
            </Paper>
            <ApprovalNotice approval={preview.approval} testId="run-confirm-approval" />
            <TextField
              label={translate(t('fields.reason'))}
              value={reason}
              onChange={(event) => setReason(event.target.value)}
              required
              multiline
              minRows={2}
              fullWidth
              autoFocus
              helperText={translate(t('new.reason_help'))}
              slotProps={{ htmlInput: { maxLength: REASON_MAX_LENGTH, 'data-testid': 'run-reason-input' } }}
            />
          </Stack>
        )}
        {error && (
          <Alert severity="error" sx={{ mt: 2, whiteSpace: 'pre-wrap', wordBreak: 'break-word' }} data-testid="run-request-error">
            {error}
          </Alert>
        )}
      </DialogContent>
      <DialogActions sx={{ px: 3, py: 1.5 }}>
        <MuiButton onClick={onClose} disabled={pending} sx={{ mr: 'auto' }} data-testid="run-new-cancel">
          {translate('ra.action.cancel')}
        </MuiButton>
        {step > 0 && (
          <MuiButton onClick={back} disabled={pending} data-testid="run-new-back">
            {translate(t('new.back'))}
          </MuiButton>
        )}
        {step === 0 && (
          <MuiButton
            variant="contained"
            onClick={loadPreview}
            disabled={pending || actions.length === 0}
            startIcon={pending ? <CircularProgress size={16} color="inherit" /> : undefined}
            data-testid="run-preview-button"
          >
            {translate(t('new.preview'))}
          </MuiButton>
        )}
        {step === 1 && (
          <MuiButton variant="contained" onClick={() => setStep(2)} disabled={blocked || !canCreate} data-testid="run-preview-next">
            {translate(t('new.continue'))}
          </MuiButton>
        )}
        {step === 2 && preview && (
          <MuiButton
            variant="contained"
            color={preview.approval.required ? 'warning' : 'primary'}
            onClick={request}
            disabled={pending || !reasonOk}
            startIcon={pending ? <CircularProgress size={16} color="inherit" /> : undefined}
            data-testid="run-request-submit"
          >
            {translate(t(preview.approval.required ? 'new.submit_approval' : 'new.submit'))}
          </MuiButton>
        )}
      </DialogActions>
    </Dialog>
  );
}
