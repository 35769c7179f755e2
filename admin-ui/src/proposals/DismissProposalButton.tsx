import { useState } from 'react';
import MuiButton from '@mui/material/Button';
import DismissIcon from '@mui/icons-material/DoNotDisturbOn';
import { useMutation } from '@tanstack/react-query';
import { useCanAccess, useDataProvider, useNotify, useRefresh, useTranslate } from 'react-admin';
import { apiPath, type AppDataProvider } from '../providers/dataProvider';
import { ReasonDialog } from './ReasonDialog';
import type { Proposal } from './types';

/** "Dismiss" for an open proposal (`proposals.dismiss`), with the reason the audit log needs. */
export function DismissProposalButton({ proposal }: { proposal: Proposal }) {
  const translate = useTranslate();
  const notify = useNotify();
  const refresh = useRefresh();
  const dataProvider = useDataProvider<AppDataProvider>();
  const { canAccess } = useCanAccess({ resource: 'proposals', action: 'dismiss' });
  const [open, setOpen] = useState(false);
  const dismiss = useMutation({
    mutationFn: async (reason: string) =>
      (await dataProvider.call<Proposal>({ method: 'POST', path: apiPath('proposals', proposal.id, 'dismiss'), body: { reason } })).data,
  });
  if (!canAccess || proposal.status !== 'open') return null;

  const confirm = async (reason: string) => {
    try {
      await dismiss.mutateAsync(reason);
      notify('resources.proposals.notifications.dismissed', { type: 'info' });
    } catch (error) {
      // 409: declared or dismissed by someone else meanwhile; show what happened.
      if ((error as { status?: number })?.status !== 409) throw error;
      notify((error as Error).message, { type: 'warning' });
    }
    setOpen(false);
    refresh();
  };

  return (
    <>
      <MuiButton
        variant="outlined"
        color="inherit"
        startIcon={<DismissIcon />}
        onClick={() => setOpen(true)}
        data-testid="proposal-dismiss-button"
      >
        {translate('resources.proposals.actions.dismiss')}
      </MuiButton>
      {open && (
        <ReasonDialog
          open
          onClose={() => setOpen(false)}
          onConfirm={confirm}
          title="resources.proposals.dismiss.title"
          intro={translate('resources.proposals.dismiss.intro')}
          reasonLabel="resources.proposals.dismiss.reason"
          reasonHelper="resources.proposals.dismiss.reason_hint"
          confirmLabel="resources.proposals.dismiss.submit"
          data-testid="proposal-dismiss-dialog"
        />
      )}
    </>
  );
}
