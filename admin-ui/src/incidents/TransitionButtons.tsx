import { useState } from 'react';
import Alert from '@mui/material/Alert';
import MuiButton from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import ArrowForwardIcon from '@mui/icons-material/ArrowForward';
import { useCanAccess, useNotify, useRecordContext, useRefresh, useTranslate } from 'react-admin';
import { ActionDialog } from './ActionDialog';
import { IncidentStatusField } from './IncidentFields';
import type { Incident, IncidentStatus } from './incidentTypes';
import { useIncidentCall } from './useIncidentApi';

/** The button text for a move, e.g. "Start triage"; a flare-up back to remediating says so. */
const transitionKey = (from: IncidentStatus, to: IncidentStatus) =>
  from === 'monitoring' && to === 'remediating' ? 'flare_up' : from === 'triage' && to === 'resolved' ? 'false_alarm' : to;

/**
 * One button per move the lifecycle allows from here (the API's
 * `allowedTransitions`), the first one primary. Each asks for confirmation,
 * with a reason when the permission matrix wants one, and shows the API's
 * 409 refusal (e.g. closing without a post-incident summary) in the dialog.
 */
export function TransitionButtons() {
  const record = useRecordContext<Incident>();
  const translate = useTranslate();
  const notify = useNotify();
  const refresh = useRefresh();
  const call = useIncidentCall();
  const { canAccess } = useCanAccess({ resource: 'incidents', action: 'edit' });
  const [target, setTarget] = useState<IncidentStatus>();

  const allowed = record?.allowedTransitions;
  if (!record || !canAccess || !allowed?.length) return null;
  const from = record.status;

  const transition = async (reason: string | undefined) => {
    await call(record.id, { method: 'POST', path: ['transition'], body: { to: target, ...(reason ? { reason } : {}) } });
    notify('resources.incidents.notifications.transitioned', {
      type: 'success',
      messageArgs: { reference: record.reference, status: translate(`resources.incidents.statuses.${target}`) },
    });
    refresh();
  };

  return (
    <>
      <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: 'wrap', alignItems: 'center' }} data-testid="incident-transitions">
        <Typography variant="body2" color="text.secondary" sx={{ mr: 0.5 }}>
          {translate('resources.incidents.lifecycle.next')}
        </Typography>
        {allowed.map((to, index) => (
          <MuiButton
            key={to}
            size="small"
            variant={index === 0 ? 'contained' : 'outlined'}
            endIcon={<ArrowForwardIcon />}
            onClick={() => setTarget(to)}
            data-testid={`incident-transition-${to}`}
          >
            {translate(`resources.incidents.transitions.${transitionKey(from, to)}`)}
          </MuiButton>
        ))}
      </Stack>
      <ActionDialog
        open={Boolean(target)}
        onClose={() => setTarget(undefined)}
        title={translate('resources.incidents.lifecycle.confirm_title', {
          reference: record.reference,
          status: target ? translate(`resources.incidents.statuses.${target}`) : '',
        })}
        confirmLabel={target ? translate(`resources.incidents.transitions.${transitionKey(from, target)}`) : ''}
        action="incidents.edit"
        onConfirm={transition}
        data-testid="incident-transition-dialog"
      >
        {target && (
          <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
            <IncidentStatusField record={{ id: record.id, status: from }} />
            <ArrowForwardIcon fontSize="small" color="action" />
            <IncidentStatusField record={{ id: record.id, status: target }} />
          </Stack>
        )}
        {target && (
          <Typography variant="body2" color="text.secondary">
            {translate(`resources.incidents.lifecycle.explain.${target}`)}
          </Typography>
        )}
        {target === 'closed' && !record.summary?.trim() && (
          <Alert severity="info">{translate('resources.incidents.lifecycle.close_needs_summary')}</Alert>
        )}
      </ActionDialog>
    </>
  );
}
