import { useState, type ReactNode } from 'react';
import Box from '@mui/material/Box';
import MuiButton from '@mui/material/Button';
import { useMutation } from '@tanstack/react-query';
import { useCanAccess, useDataProvider, useNotify, useRefresh, useTranslate } from 'react-admin';
import { apiPath, type AppDataProvider } from '../providers/dataProvider';
import { ReasonDialog } from './ReasonDialog';

export interface ReasonActionButtonProps {
  /** Permission and endpoint: `POST /api/<resource>/<id>/<endpoint>` under `<resource>.<action>`. */
  resource: string;
  action: string;
  id: string;
  endpoint: string;
  /** i18n prefix holding `title`, `intro`, `reason`, `reason_hint`, `submit` (e.g. `resources.proposals.dismiss`). */
  messages: string;
  /** i18n key of the success notification. */
  done: string;
  label: string;
  /** Values for `%{…}` in the dialog's title and intro (e.g. what exactly is released). */
  messageArgs?: Record<string, unknown>;
  /** i18n key of the dialog title when it is not `<messages>.title` (e.g. one per scope). */
  titleKey?: string;
  /** The exact scope, shown under the intro (e.g. "12 orders worth $1,234.56 and ¥10,000"). */
  scope?: ReactNode;
  icon: ReactNode;
  size?: 'small' | 'medium';
  testId: string;
}

/**
 * A button for a state change that needs a written reason (dismiss a proposal,
 * release a quarantine…): asks for the reason, posts it, and on 409 (someone
 * else acted meanwhile) shows what the server says instead of failing.
 */
export function ReasonActionButton({
  resource,
  action,
  id,
  endpoint,
  messages,
  done,
  label,
  messageArgs,
  titleKey,
  scope,
  icon,
  size,
  testId,
}: ReasonActionButtonProps) {
  const translate = useTranslate();
  const notify = useNotify();
  const refresh = useRefresh();
  const dataProvider = useDataProvider<AppDataProvider>();
  const { canAccess } = useCanAccess({ resource, action });
  const [open, setOpen] = useState(false);
  const act = useMutation({
    mutationFn: async (reason: string) => dataProvider.call({ method: 'POST', path: apiPath(resource, id, endpoint), body: { reason } }),
  });
  if (!canAccess) return null;

  const confirm = async (reason: string) => {
    try {
      await act.mutateAsync(reason);
      notify(done, { type: 'info' });
    } catch (error) {
      if ((error as { status?: number })?.status !== 409) throw error;
      notify((error as Error).message, { type: 'warning' });
    }
    setOpen(false);
    refresh();
  };

  return (
    <>
      <MuiButton size={size} variant="outlined" color="inherit" startIcon={icon} onClick={() => setOpen(true)} data-testid={testId}>
        {translate(label)}
      </MuiButton>
      {open && (
        <ReasonDialog
          open
          onClose={() => setOpen(false)}
          onConfirm={confirm}
          title={translate(titleKey ?? `${messages}.title`, messageArgs)}
          intro={
            <>
              {translate(`${messages}.intro`, messageArgs)}
              {scope && (
                <Box sx={{ mt: 1, color: 'text.primary', fontWeight: 500 }} data-testid={`${testId.replace(/-button$/, '')}-scope`}>
                  {scope}
                </Box>
              )}
            </>
          }
          reasonLabel={`${messages}.reason`}
          reasonHelper={`${messages}.reason_hint`}
          confirmLabel={`${messages}.submit`}
          data-testid={`${testId.replace(/-button$/, '')}-dialog`}
        />
      )}
    </>
  );
}
