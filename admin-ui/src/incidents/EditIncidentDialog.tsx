import { useEffect, useMemo, useState } from 'react';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import { useCanAccess, useGetIdentity, useGetList, useNotify, useRefresh, useTranslate } from 'react-admin';
import { ActionDialog } from './ActionDialog';
import { INCIDENT_SEVERITIES, type Incident } from './incidentTypes';
import { useIncidentCall } from './useIncidentApi';

interface CommanderOption {
  id: string;
  email: string;
}

const NO_COMMANDER = '';

/**
 * Who may run the incident. Everyone who may edit can hand it to themselves;
 * reading other users needs `users.list` (admins), so only they get the
 * full list of active commanders and admins.
 */
function useCommanderOptions(incident: Incident, enabled: boolean): CommanderOption[] {
  const { identity } = useGetIdentity();
  const { canAccess: canListUsers } = useCanAccess({ resource: 'users', action: 'list' });
  const query = (role: string) =>
    ({
      filter: { role, active: true },
      pagination: { page: 1, perPage: 100 },
      sort: { field: 'email', order: 'ASC' },
    }) as const;
  const { data: commanders } = useGetList('users', query('incident_commander'), { enabled: enabled && Boolean(canListUsers) });
  const { data: admins } = useGetList('users', query('admin'), { enabled: enabled && Boolean(canListUsers) });
  return useMemo(() => {
    const options = new Map<string, CommanderOption>();
    if (incident.commanderId)
      options.set(incident.commanderId, { id: incident.commanderId, email: incident.commanderEmail ?? incident.commanderId });
    if (identity)
      options.set(String(identity.id), { id: String(identity.id), email: String(identity.email ?? identity.fullName ?? identity.id) });
    for (const user of [...(commanders ?? []), ...(admins ?? [])]) options.set(String(user.id), { id: String(user.id), email: user.email });
    return [...options.values()].sort((a, b) => a.email.localeCompare(b.email));
  }, [incident.commanderId, incident.commanderEmail, identity, commanders, admins]);
}

/** Title, severity and commander (`PATCH /api/incidents/:id` with only what changed). */
export function EditIncidentDialog({ incident, open, onClose }: { incident: Incident; open: boolean; onClose: () => void }) {
  const translate = useTranslate();
  const notify = useNotify();
  const refresh = useRefresh();
  const call = useIncidentCall();
  const options = useCommanderOptions(incident, open);
  const [title, setTitle] = useState(incident.title);
  const [severity, setSeverity] = useState(incident.severity);
  const [commanderId, setCommanderId] = useState(incident.commanderId ?? NO_COMMANDER);

  useEffect(() => {
    if (!open) return;
    setTitle(incident.title);
    setSeverity(incident.severity);
    setCommanderId(incident.commanderId ?? NO_COMMANDER);
  }, [open, incident.title, incident.severity, incident.commanderId]);

  const changes: Record<string, unknown> = {};
  if (title.trim() !== incident.title) changes.title = title.trim();
  if (severity !== incident.severity) changes.severity = severity;
  if (commanderId !== (incident.commanderId ?? NO_COMMANDER)) changes.commanderId = commanderId || null;
  const nothingChanged = Object.keys(changes).length === 0;

  const save = async (reason: string | undefined) => {
    await call(incident.id, { method: 'PATCH', path: [], body: { ...changes, ...(reason ? { reason } : {}) } });
    notify('resources.incidents.notifications.edited', { type: 'success', messageArgs: { reference: incident.reference } });
    refresh();
  };

  return (
    <ActionDialog
      open={open}
      onClose={onClose}
      title={translate('resources.incidents.edit.title', { reference: incident.reference })}
      confirmLabel={translate('ra.action.save')}
      action="incidents.edit"
      onConfirm={save}
      confirmDisabled={nothingChanged || !title.trim()}
      data-testid="incident-edit-dialog"
    >
      <TextField
        label={translate('resources.incidents.fields.title')}
        value={title}
        onChange={(event) => setTitle(event.target.value)}
        required
        fullWidth
        error={!title.trim()}
        slotProps={{ htmlInput: { maxLength: 200, 'data-testid': 'incident-edit-title' } }}
      />
      <TextField
        select
        label={translate('resources.incidents.fields.severity')}
        value={severity}
        onChange={(event) => setSeverity(event.target.value as Incident['severity'])}
        fullWidth
        slotProps={{ htmlInput: { 'data-testid': 'incident-edit-severity' } }}
      >
        {INCIDENT_SEVERITIES.map((s) => (
          <MenuItem key={s} value={s}>
            {translate(`resources.incidents.severities.${s}`)}
          </MenuItem>
        ))}
      </TextField>
      <TextField
        select
        label={translate('resources.incidents.fields.commander')}
        value={commanderId}
        onChange={(event) => setCommanderId(event.target.value)}
        fullWidth
        helperText={translate('resources.incidents.helpers.commander')}
        slotProps={{ htmlInput: { 'data-testid': 'incident-edit-commander' } }}
      >
        <MenuItem value={NO_COMMANDER}>
          <em>{translate('resources.incidents.values.no_commander')}</em>
        </MenuItem>
        {options.map((option) => (
          <MenuItem key={option.id} value={option.id}>
            {option.email}
          </MenuItem>
        ))}
      </TextField>
    </ActionDialog>
  );
}
