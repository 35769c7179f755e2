import { useState } from 'react';
import Box from '@mui/material/Box';
import MuiButton from '@mui/material/Button';
import ReleaseIcon from '@mui/icons-material/LockOpen';
import { useMutation } from '@tanstack/react-query';
import { useCanAccess, useDataProvider, useNotify, useRecordContext, useRefresh, useTranslate } from 'react-admin';
import { ReasonDialog } from '../proposals/ReasonDialog';
import { apiPath, type AppDataProvider } from '../providers/dataProvider';
import type { Quarantine } from './types';

/** "Release" for a quarantine that still applies (`quarantines.release`), with the required reason. */
export function ReleaseQuarantineButton({ size = 'small' }: { size?: 'small' | 'medium' }) {
  const record = useRecordContext<Quarantine>();
  const translate = useTranslate();
  const notify = useNotify();
  const refresh = useRefresh();
  const dataProvider = useDataProvider<AppDataProvider>();
  const { canAccess } = useCanAccess({ resource: 'quarantines', action: 'release' });
  const [open, setOpen] = useState(false);
  const release = useMutation({
    mutationFn: async ({ id, reason }: { id: string; reason: string }) =>
      (await dataProvider.call<Quarantine>({ method: 'POST', path: apiPath('quarantines', id, 'release'), body: { reason } })).data,
  });
  if (!record || !canAccess || record.status !== 'active') return null;

  const confirm = async (reason: string) => {
    try {
      await release.mutateAsync({ id: record.id, reason });
      notify('resources.quarantines.notifications.released', { type: 'info' });
    } catch (error) {
      // 409: released by someone else meanwhile; show the current state.
      if ((error as { status?: number })?.status !== 409) throw error;
      notify((error as Error).message, { type: 'warning' });
    }
    setOpen(false);
    refresh();
  };

  return (
    // Clicks here (and in the dialog, which React bubbles through its portal) must not open the row.
    <Box component="span" onClick={(event) => event.stopPropagation()}>
      <MuiButton
        size={size}
        variant="outlined"
        color="inherit"
        startIcon={<ReleaseIcon />}
        onClick={() => setOpen(true)}
        data-testid="quarantine-release-button"
      >
        {translate('resources.quarantines.actions.release')}
      </MuiButton>
      {open && (
        <ReasonDialog
          open
          onClose={() => setOpen(false)}
          onConfirm={confirm}
          title="resources.quarantines.release.title"
          intro={translate('resources.quarantines.release.intro')}
          reasonLabel="resources.quarantines.release.reason"
          reasonHelper="resources.quarantines.release.reason_hint"
          confirmLabel="resources.quarantines.release.submit"
          data-testid="quarantine-release-dialog"
        />
      )}
    </Box>
  );
}
