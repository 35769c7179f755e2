import { useState } from 'react';
import Alert from '@mui/material/Alert';
import MuiButton from '@mui/material/Button';
import CircularProgress from '@mui/material/CircularProgress';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import MuiTextField from '@mui/material/TextField';
import DeclareIcon from '@mui/icons-material/Campaign';
import { useMutation } from '@tanstack/react-query';
import {
  AutocompleteInput,
  Form,
  ReferenceInput,
  SelectInput,
  TextInput,
  maxLength,
  required,
  useCanAccess,
  useDataProvider,
  useGetIdentity,
  useNotify,
  useRedirect,
  useRefresh,
  useTranslate,
  type RaRecord,
} from 'react-admin';
import type { AppDataProvider } from '../providers/dataProvider';
import { focusFirstFieldOnOpen } from '../common/focusFirstField';
import { formErrorsOf, SubmitButton } from '../common/ReasonDialog';
import { ValueByCurrencyField } from './ProposalFields';
import { severityChoices, type Proposal } from './types';

const t = (key: string) => `resources.proposals.declare.${key}`;

interface DeclaredIncident {
  id: string;
  number?: number;
  title?: string;
}

const userOption = (user: RaRecord) => (user.fullName ? `${user.fullName} (${user.email})` : String(user.email ?? user.id));

/**
 * Commander of the new incident. Admins (who may list users) pick anyone; the
 * server refuses a user who is not an active commander or admin, under this
 * input. Others command what they declare (the server's default) and hand
 * over from the incident page.
 */
function CommanderInput({ canPick, self }: { canPick: boolean; self: string }) {
  const translate = useTranslate();
  if (canPick) {
    return (
      <ReferenceInput source="commanderId" reference="users" filter={{ active: true }} sort={{ field: 'email', order: 'ASC' }}>
        <AutocompleteInput
          label={t('fields.commanderId')}
          optionText={userOption}
          helperText={t('commander_hint_pick')}
          validate={required()}
          fullWidth
        />
      </ReferenceInput>
    );
  }
  return (
    <MuiTextField
      label={translate(t('fields.commanderId'))}
      value={translate(t('commander_self'), { name: self })}
      helperText={translate(t('commander_hint_self'))}
      fullWidth
      size="small"
      disabled
      sx={{ mb: 2 }}
    />
  );
}

function DeclareIncidentDialog({ proposal, onClose }: { proposal: Proposal; onClose: () => void }) {
  const translate = useTranslate();
  const notify = useNotify();
  const redirect = useRedirect();
  const refresh = useRefresh();
  const dataProvider = useDataProvider<AppDataProvider>();
  const { identity, isPending: identityPending } = useGetIdentity();
  const { canAccess: canPick, isPending: accessPending } = useCanAccess({ resource: 'users', action: 'list' });
  const declare = useMutation({
    mutationFn: async (body: Record<string, unknown>) =>
      (await dataProvider.call<DeclaredIncident>({ method: 'POST', path: 'incidents', body })).data,
  });

  const submit = async (values: Record<string, unknown>) => {
    const reason = String(values.reason ?? '').trim();
    const body = {
      proposalId: proposal.id,
      title: String(values.title ?? '').trim(),
      severity: values.severity,
      ...(canPick && values.commanderId ? { commanderId: values.commanderId } : {}),
      ...(reason ? { reason } : {}),
    };
    try {
      const incident = await declare.mutateAsync(body);
      if (!incident?.id) return undefined; // the session ended; the data provider logs the user out
      notify('resources.proposals.notifications.declared', { type: 'success', messageArgs: { title: incident.title ?? body.title } });
      onClose();
      redirect(`/incidents/${encodeURIComponent(incident.id)}/show`);
      return undefined;
    } catch (error) {
      const fields = formErrorsOf(error);
      if (fields) return fields;
      notify((error as Error)?.message || 'ra.notification.http_error', { type: 'error' });
      // 409: someone declared or dismissed it meanwhile; show its outcome.
      if ((error as { status?: number })?.status === 409) {
        onClose();
        refresh();
      }
      return undefined;
    }
  };

  const ready = !identityPending && !accessPending;
  return (
    <Dialog open onClose={onClose} fullWidth maxWidth="sm" data-testid="proposal-declare-dialog" slotProps={focusFirstFieldOnOpen}>
      <DialogTitle>{translate(t('title'))}</DialogTitle>
      {!ready ? (
        <DialogContent sx={{ display: 'flex', justifyContent: 'center', py: 4 }}>
          <CircularProgress size={24} />
        </DialogContent>
      ) : (
        <Form
          record={{
            title: proposal.title,
            severity: proposal.severity,
            commanderId: canPick ? identity?.id : undefined,
            reason: '',
          }}
          onSubmit={submit}
        >
          <DialogContent sx={{ pt: 0 }}>
            <Alert severity="info" icon={false} sx={{ mb: 2 }} data-testid="proposal-declare-summary">
              {translate(t('intro'), { smart_count: proposal.orderCount })}
              <ValueByCurrencyField withOrders record={proposal} />
            </Alert>
            <TextInput
              source="title"
              label={t('fields.title')}
              validate={[required(), maxLength(200)]}
              fullWidth
              autoFocus
              slotProps={{ htmlInput: { 'data-testid': 'proposal-declare-title' } }}
            />
            <SelectInput
              source="severity"
              label={t('fields.severity')}
              choices={severityChoices}
              validate={required()}
              helperText={t('severity_hint')}
              fullWidth
              data-testid="proposal-declare-severity"
            />
            <CommanderInput canPick={Boolean(canPick)} self={String(identity?.fullName || identity?.email || '')} />
            <TextInput
              source="reason"
              label={t('fields.reason')}
              helperText={t('reason_hint')}
              validate={maxLength(1000)}
              multiline
              fullWidth
            />
          </DialogContent>
          <DialogActions sx={{ px: 3, pb: 2 }}>
            <MuiButton onClick={onClose}>{translate('ra.action.cancel')}</MuiButton>
            <SubmitButton label={t('submit')} testId="proposal-declare-submit" />
          </DialogActions>
        </Form>
      )}
    </Dialog>
  );
}

/** "Declare incident" for an open proposal (`incidents.create`): a dialog, then the new incident's page. */
export function DeclareIncidentButton({ proposal }: { proposal: Proposal }) {
  const translate = useTranslate();
  const { canAccess } = useCanAccess({ resource: 'incidents', action: 'create' });
  const [open, setOpen] = useState(false);
  if (!canAccess || proposal.status !== 'open') return null;
  return (
    <>
      <MuiButton variant="contained" startIcon={<DeclareIcon />} onClick={() => setOpen(true)} data-testid="proposal-declare-button">
        {translate('resources.proposals.actions.declare')}
      </MuiButton>
      {open && <DeclareIncidentDialog proposal={proposal} onClose={() => setOpen(false)} />}
    </>
  );
}
