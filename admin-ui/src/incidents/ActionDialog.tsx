import { useEffect, useState, type ReactNode } from 'react';
import Alert from '@mui/material/Alert';
import MuiButton from '@mui/material/Button';
import CircularProgress from '@mui/material/CircularProgress';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import { useTranslate } from 'react-admin';
import { focusFirstFieldOnOpen } from '../common/focusFirstField';
import { REASON_MAX_LENGTH } from '../common/ReasonDialog';
import { REASON_MIN_LENGTH, reasonOrUndefined, useErrorText, useReasonPolicy } from './useIncidentApi';

export interface ActionDialogProps {
  open: boolean;
  onClose: () => void;
  /** Already translated. */
  title: string;
  /** Already translated. */
  confirmLabel: string;
  /** The matrix action whose reason policy applies, e.g. `incidents.members`. */
  action: string;
  /**
   * Does the work; a rejection keeps the dialog open and shows the server's
   * message (e.g. a 409 naming the conflicting orders). Resolving closes it.
   */
  onConfirm: (reason: string | undefined) => Promise<unknown>;
  confirmColor?: 'primary' | 'error' | 'warning' | 'success';
  confirmDisabled?: boolean;
  children?: ReactNode;
  maxWidth?: 'xs' | 'sm' | 'md' | 'lg';
  'data-testid'?: string;
}

/**
 * A confirmation with a written reason when the permission matrix asks for
 * one: required (the confirm button waits for ≥ 3 characters), optional, or
 * not offered at all. The server's refusal is shown inside the dialog, so the
 * person can read it, adjust and retry.
 */
export function ActionDialog({
  open,
  onClose,
  title,
  confirmLabel,
  action,
  onConfirm,
  confirmColor = 'primary',
  confirmDisabled = false,
  children,
  maxWidth = 'sm',
  'data-testid': testId = 'incident-action-dialog',
}: ActionDialogProps) {
  const translate = useTranslate();
  const errorText = useErrorText();
  const policy = useReasonPolicy(action);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string>();
  const [pending, setPending] = useState(false);

  useEffect(() => {
    if (open) {
      setReason('');
      setError(undefined);
    }
  }, [open]);

  const reasonMissing = policy === 'required' && reason.trim().length < REASON_MIN_LENGTH;

  const confirm = async () => {
    setPending(true);
    setError(undefined);
    try {
      await onConfirm(policy === 'none' ? undefined : reasonOrUndefined(reason));
      onClose();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setPending(false);
    }
  };

  return (
    <Dialog
      open={open}
      onClose={pending ? undefined : onClose}
      fullWidth
      maxWidth={maxWidth}
      slotProps={focusFirstFieldOnOpen}
      data-testid={testId}
    >
      <DialogTitle>{title}</DialogTitle>
      <DialogContent>
        <Stack spacing={2} sx={{ pt: 0.5 }}>
          {children}
          {policy !== 'none' && (
            <TextField
              label={translate(policy === 'required' ? 'resources.incidents.fields.reason_required' : 'resources.incidents.fields.reason')}
              value={reason}
              onChange={(event) => setReason(event.target.value)}
              required={policy === 'required'}
              multiline
              minRows={2}
              fullWidth
              helperText={translate('resources.incidents.helpers.reason')}
              slotProps={{ htmlInput: { maxLength: REASON_MAX_LENGTH, 'data-testid': 'incident-reason-input' } }}
            />
          )}
          {error && (
            <Alert severity="error" data-testid="incident-dialog-error" sx={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
              {error}
            </Alert>
          )}
        </Stack>
      </DialogContent>
      <DialogActions sx={{ px: 3, pb: 2 }}>
        <MuiButton onClick={onClose} disabled={pending} data-testid="incident-dialog-cancel">
          {translate('ra.action.cancel')}
        </MuiButton>
        <MuiButton
          variant="contained"
          color={confirmColor}
          onClick={confirm}
          disabled={pending || confirmDisabled || reasonMissing}
          startIcon={pending ? <CircularProgress size={16} color="inherit" /> : undefined}
          data-testid="incident-dialog-confirm"
        >
          {confirmLabel}
        </MuiButton>
      </DialogActions>
    </Dialog>
  );
}
