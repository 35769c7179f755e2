import { useState } from 'react';
import Box from '@mui/material/Box';
import MuiButton from '@mui/material/Button';
import Divider from '@mui/material/Divider';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Step from '@mui/material/Step';
import StepLabel from '@mui/material/StepLabel';
import Stepper from '@mui/material/Stepper';
import Typography from '@mui/material/Typography';
import DownloadIcon from '@mui/icons-material/Download';
import EditIcon from '@mui/icons-material/Edit';
import PersonIcon from '@mui/icons-material/Person';
import { CanAccess, DateField, useRecordContext, useTranslate } from 'react-admin';
import { EditIncidentDialog } from './EditIncidentDialog';
import { IncidentSeverityField, IncidentStatusField } from './IncidentFields';
import { INCIDENT_STATUSES, isClosed, type Incident, type IncidentStatus } from './incidentTypes';
import { TransitionButtons } from './TransitionButtons';
import { summaryHref } from './summaryLink';

/** When the incident entered each state (remediating has no stamp of its own: the timeline records it). */
const enteredAt: Record<IncidentStatus, keyof Incident | null> = {
  declared: 'declaredAt',
  triage: 'triageAt',
  remediating: null,
  monitoring: 'mitigatedAt',
  resolved: 'resolvedAt',
  closed: 'closedAt',
};

const dateOptions = { month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit' } as const;

function LifecycleStepper({ incident }: { incident: Incident }) {
  const translate = useTranslate();
  const current = INCIDENT_STATUSES.indexOf(incident.status);
  return (
    <Stepper activeStep={current} alternativeLabel data-testid="incident-lifecycle" sx={{ '& .MuiStepLabel-label': { mt: 0.5 } }}>
      {INCIDENT_STATUSES.map((status, index) => {
        const stampKey = enteredAt[status];
        const stamp = stampKey ? (incident[stampKey] as string | null) : null;
        return (
          <Step key={status} completed={index < current || incident.status === 'closed'} data-state={status}>
            <StepLabel
              optional={
                <Typography variant="caption" color="text.secondary" component="div" sx={{ textAlign: 'center' }}>
                  {stamp ? <DateField record={{ id: incident.id, at: stamp }} source="at" showTime options={dateOptions} /> : ' '}
                </Typography>
              }
            >
              <Box component="span" sx={{ fontWeight: index === current ? 700 : undefined }}>
                {translate(`resources.incidents.statuses.${status}`)}
              </Box>
            </StepLabel>
          </Step>
        );
      })}
    </Stepper>
  );
}

/** Reference, title, state, severity and commander, with what the commander can do next. */
export function IncidentHeader() {
  const incident = useRecordContext<Incident>();
  const translate = useTranslate();
  const [editing, setEditing] = useState(false);
  if (!incident) return null;
  return (
    <Paper variant="outlined" sx={{ p: 2.5 }} data-testid="incident-header">
      <Stack direction={{ xs: 'column', md: 'row' }} spacing={2} sx={{ justifyContent: 'space-between' }}>
        <Box sx={{ minWidth: 0 }}>
          <Stack direction="row" spacing={1} useFlexGap sx={{ alignItems: 'center', flexWrap: 'wrap', mb: 0.5 }}>
            <Typography
              variant="subtitle1"
              component="span"
              sx={{ fontFamily: 'monospace', fontWeight: 700, color: 'text.secondary' }}
              data-testid="incident-reference"
            >
              {incident.reference}
            </Typography>
            <Box data-testid="incident-status">
              <IncidentStatusField />
            </Box>
            <Box data-testid="incident-severity">
              <IncidentSeverityField />
            </Box>
          </Stack>
          <Typography variant="h5" component="h1" sx={{ fontWeight: 600, wordBreak: 'break-word' }} data-testid="incident-title">
            {incident.title}
          </Typography>
          <Stack direction="row" spacing={2} useFlexGap sx={{ mt: 1, flexWrap: 'wrap', color: 'text.secondary' }}>
            <Stack direction="row" spacing={0.5} sx={{ alignItems: 'center' }} data-testid="incident-commander">
              <PersonIcon fontSize="small" />
              <Typography variant="body2">
                {translate('resources.incidents.header.commander', {
                  email: incident.commanderEmail ?? translate('resources.incidents.values.no_commander'),
                })}
              </Typography>
            </Stack>
            {incident.declaredAt && (
              <Typography variant="body2">
                {translate('resources.incidents.header.declared')}{' '}
                <DateField record={incident} source="declaredAt" showTime options={dateOptions} />
                {incident.createdByEmail ? ` · ${incident.createdByEmail}` : ''}
              </Typography>
            )}
            {incident.proposalId && <Typography variant="body2">{translate('resources.incidents.header.from_proposal')}</Typography>}
          </Stack>
        </Box>
        <Stack direction="row" spacing={1} sx={{ alignItems: 'flex-start', flexShrink: 0 }}>
          {!isClosed(incident) && (
            <CanAccess resource="incidents" action="edit">
              <MuiButton
                size="small"
                variant="outlined"
                startIcon={<EditIcon />}
                onClick={() => setEditing(true)}
                data-testid="incident-edit-button"
              >
                {translate('ra.action.edit')}
              </MuiButton>
            </CanAccess>
          )}
          <MuiButton
            size="small"
            variant="outlined"
            startIcon={<DownloadIcon />}
            component="a"
            href={summaryHref(incident.id)}
            download={`${incident.reference}-summary.md`}
            data-testid="incident-header-summary-download"
          >
            {translate('resources.incidents.actions.download_summary')}
          </MuiButton>
        </Stack>
      </Stack>
      <Divider sx={{ my: 2 }} />
      <LifecycleStepper incident={incident} />
      <Box sx={{ mt: 2 }}>
        <TransitionButtons />
      </Box>
      <EditIncidentDialog incident={incident} open={editing} onClose={() => setEditing(false)} />
    </Paper>
  );
}
