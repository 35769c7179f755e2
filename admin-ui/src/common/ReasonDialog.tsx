import type { ReactNode } from 'react';
import MuiButton from '@mui/material/Button';
import CircularProgress from '@mui/material/CircularProgress';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import Typography from '@mui/material/Typography';
import { Form, TextInput, maxLength, minLength, required, useNotify, useTranslate } from 'react-admin';
import { useFormState } from 'react-hook-form';

/** Same rule as the server's access guard (backend/src/auth/access.guard.ts): at least 3 characters, at most 1000. */
export const REASON_MIN_LENGTH = 3;
export const REASON_MAX_LENGTH = 1000;
export const reasonValidators = [required(), minLength(REASON_MIN_LENGTH), maxLength(REASON_MAX_LENGTH)];

/** A server error as form errors when it names fields (400), else undefined. */
export function formErrorsOf(error: unknown): Record<string, unknown> | undefined {
  const errors = (error as { body?: { errors?: Record<string, unknown> } } | null)?.body?.errors;
  return errors && typeof errors === 'object' ? errors : undefined;
}

export function SubmitButton({ label, color = 'primary', testId }: { label: string; color?: 'primary' | 'error'; testId?: string }) {
  const translate = useTranslate();
  const { isSubmitting } = useFormState();
  return (
    <MuiButton
      type="submit"
      variant="contained"
      color={color}
      disabled={isSubmitting}
      startIcon={isSubmitting ? <CircularProgress size={16} color="inherit" /> : undefined}
      data-testid={testId}
    >
      {translate(label)}
    </MuiButton>
  );
}

interface ReasonDialogProps {
  open: boolean;
  onClose: () => void;
  /** Resolves when done; a rejection with field errors (400) shows them under the input. */
  onConfirm: (reason: string) => Promise<unknown>;
  title: string;
  /** Translated text or an element above the input. */
  intro?: ReactNode;
  reasonLabel: string;
  reasonHelper: string;
  confirmLabel: string;
  confirmColor?: 'primary' | 'error';
  'data-testid'?: string;
}

/**
 * A confirmation that needs a written reason (it goes into the audit log).
 * The reason is checked here the way the server checks it; the server's own
 * 400 field errors still land under the input.
 */
export function ReasonDialog({
  open,
  onClose,
  onConfirm,
  title,
  intro,
  reasonLabel,
  reasonHelper,
  confirmLabel,
  confirmColor = 'primary',
  'data-testid': testId,
}: ReasonDialogProps) {
  const translate = useTranslate();
  const notify = useNotify();
  const submit = async (values: Record<string, unknown>) => {
    try {
      await onConfirm(String(values.reason ?? '').trim());
      return undefined;
    } catch (error) {
      const fields = formErrorsOf(error);
      if (fields) return fields;
      notify((error as Error)?.message || 'ra.notification.http_error', { type: 'error' });
      return undefined;
    }
  };
  return (
    <Dialog open={open} onClose={onClose} fullWidth maxWidth="sm" data-testid={testId}>
      {/* An empty record: inside a show page the form must not pick up the page's record. */}
      <Form record={{ reason: '' }} onSubmit={submit}>
        <DialogTitle>{translate(title)}</DialogTitle>
        <DialogContent>
          {intro && (
            <Typography variant="body2" color="text.secondary" component="div" sx={{ mb: 2 }}>
              {intro}
            </Typography>
          )}
          <TextInput
            source="reason"
            label={reasonLabel}
            helperText={reasonHelper}
            validate={reasonValidators}
            multiline
            minRows={2}
            autoFocus
            fullWidth
            slotProps={{ htmlInput: { maxLength: REASON_MAX_LENGTH, 'data-testid': testId ? `${testId}-reason` : undefined } }}
          />
        </DialogContent>
        <DialogActions sx={{ px: 3, pb: 2 }}>
          <MuiButton onClick={onClose}>{translate('ra.action.cancel')}</MuiButton>
          <SubmitButton label={confirmLabel} color={confirmColor} testId={testId ? `${testId}-confirm` : undefined} />
        </DialogActions>
      </Form>
    </Dialog>
  );
}
