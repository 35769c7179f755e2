import { useState } from 'react';
import Avatar from '@mui/material/Avatar';
import Box from '@mui/material/Box';
import MuiButton from '@mui/material/Button';
import CircularProgress from '@mui/material/CircularProgress';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import Typography from '@mui/material/Typography';
import CampaignIcon from '@mui/icons-material/Campaign';
import EditNoteIcon from '@mui/icons-material/EditNote';
import FlagIcon from '@mui/icons-material/Flag';
import HealingIcon from '@mui/icons-material/Healing';
import PlaylistAddCheckIcon from '@mui/icons-material/PlaylistAddCheck';
import SendIcon from '@mui/icons-material/Send';
import SwapHorizIcon from '@mui/icons-material/SwapHoriz';
import { CanAccess, ListBase, Pagination, useListContext, useNotify, useRecordContext, useRefresh, useTranslate } from 'react-admin';
import { DateTimeField } from '../common/DateTimeField';
import { isClosed, TIMELINE_KINDS, type Incident, type TimelineKind } from './incidentTypes';
import { useErrorText, useIncidentCall } from './useIncidentApi';

const kindLook: Record<TimelineKind, { icon: typeof FlagIcon; color: string }> = {
  declared: { icon: FlagIcon, color: 'error.main' },
  status_changed: { icon: SwapHorizIcon, color: 'primary.main' },
  membership: { icon: PlaylistAddCheckIcon, color: 'warning.main' },
  update: { icon: CampaignIcon, color: 'success.main' },
  edited: { icon: EditNoteIcon, color: 'grey.600' },
  remediation: { icon: HealingIcon, color: 'info.main' },
};

const MESSAGE_MAX = 5000;

/** A status update on the timeline (`POST /api/incidents/:id/updates`); no reason: the update is the text. */
function PostUpdateForm({ incident }: { incident: Incident }) {
  const translate = useTranslate();
  const notify = useNotify();
  const refresh = useRefresh();
  const call = useIncidentCall();
  const errorText = useErrorText();
  const [message, setMessage] = useState('');
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string>();

  const post = async () => {
    setPending(true);
    setError(undefined);
    try {
      await call(incident.id, { method: 'POST', path: ['updates'], body: { message: message.trim() } });
      setMessage('');
      notify('resources.incidents.notifications.update_posted', { type: 'success' });
      refresh();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setPending(false);
    }
  };

  return (
    <Paper variant="outlined" sx={{ p: 2, mb: 2 }} data-testid="incident-update-form">
      <TextField
        label={translate('resources.incidents.timeline.update_label')}
        placeholder={translate('resources.incidents.timeline.update_placeholder')}
        value={message}
        onChange={(event) => setMessage(event.target.value)}
        multiline
        minRows={2}
        fullWidth
        error={Boolean(error)}
        helperText={error ?? `${message.length} / ${MESSAGE_MAX}`}
        slotProps={{ htmlInput: { maxLength: MESSAGE_MAX, 'data-testid': 'incident-update-input' } }}
      />
      <Stack direction="row" sx={{ justifyContent: 'flex-end', mt: 1 }}>
        <MuiButton
          variant="contained"
          startIcon={pending ? <CircularProgress size={16} color="inherit" /> : <SendIcon />}
          disabled={pending || !message.trim()}
          onClick={post}
          data-testid="incident-update-submit"
        >
          {translate('resources.incidents.actions.post_update')}
        </MuiButton>
      </Stack>
    </Paper>
  );
}

interface TimelineEvent {
  id: string;
  at: string;
  kind: TimelineKind;
  actorEmail: string | null;
  message: string;
}

function Events() {
  const translate = useTranslate();
  const { data, isPending } = useListContext<TimelineEvent>();
  if (isPending) return <CircularProgress size={24} sx={{ m: 2 }} />;
  if (!data?.length) {
    return (
      <Typography variant="body2" color="text.secondary" sx={{ p: 2 }}>
        {translate('resources.incidents.timeline.empty')}
      </Typography>
    );
  }
  return (
    <Box component="ol" sx={{ listStyle: 'none', m: 0, p: 0 }} data-testid="incident-timeline-events">
      {data.map((event, index) => {
        const look = kindLook[event.kind] ?? kindLook.edited;
        const Icon = look.icon;
        return (
          <Box
            component="li"
            key={event.id}
            data-testid="incident-timeline-event"
            data-kind={event.kind}
            sx={{ display: 'flex', gap: 2, position: 'relative', pb: 2.5 }}
          >
            {index < data.length - 1 && (
              <Box sx={{ position: 'absolute', left: 17, top: 40, bottom: 0, borderLeft: 2, borderColor: 'divider' }} aria-hidden />
            )}
            <Avatar sx={{ bgcolor: look.color, width: 36, height: 36 }}>
              <Icon fontSize="small" />
            </Avatar>
            <Box sx={{ minWidth: 0, flex: 1, pt: 0.25 }}>
              <Stack direction="row" spacing={1} useFlexGap sx={{ alignItems: 'baseline', flexWrap: 'wrap' }}>
                <Typography variant="body2" sx={{ fontWeight: 600 }}>
                  {translate(`resources.incidents.timeline.kinds.${event.kind}`, { _: event.kind })}
                </Typography>
                <Typography variant="caption" color="text.secondary">
                  <DateTimeField record={event} source="at" /> · {event.actorEmail ?? translate('resources.incidents.timeline.system')}
                </Typography>
              </Stack>
              <Typography
                variant="body2"
                sx={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere', mt: 0.25 }}
                data-testid="incident-timeline-message"
              >
                {event.message}
              </Typography>
            </Box>
          </Box>
        );
      })}
    </Box>
  );
}

/** Every event of the incident, newest first (`GET /api/incidents/:id/timeline`), and a form to post an update. */
export function TimelineTab() {
  const incident = useRecordContext<Incident>();
  const translate = useTranslate();
  const [kind, setKind] = useState<TimelineKind>();
  if (!incident) return null;
  return (
    <Box data-testid="incident-timeline">
      {!isClosed(incident) && (
        <CanAccess resource="incidents" action="post-update">
          <PostUpdateForm incident={incident} />
        </CanAccess>
      )}
      <ToggleButtonGroup
        exclusive
        size="small"
        value={kind ?? 'all'}
        onChange={(_, value: TimelineKind | 'all' | null) => value && setKind(value === 'all' ? undefined : value)}
        sx={{ mb: 2, flexWrap: 'wrap' }}
      >
        <ToggleButton value="all" data-testid="incident-timeline-filter-all" sx={{ px: 1.5 }}>
          {translate('resources.incidents.timeline.all')}
        </ToggleButton>
        {TIMELINE_KINDS.map((k) => (
          <ToggleButton key={k} value={k} data-testid={`incident-timeline-filter-${k}`} sx={{ px: 1.5 }}>
            {translate(`resources.incidents.timeline.kinds.${k}`)}
          </ToggleButton>
        ))}
      </ToggleButtonGroup>
      <ListBase
        resource={`incidents/${incident.id}/timeline`}
        filter={kind ? { kind } : undefined}
        sort={{ field: 'at', order: 'DESC' }}
        perPage={50}
        disableSyncWithLocation
        storeKey={false}
        disableAuthentication
      >
        <Events />
        <Pagination rowsPerPageOptions={[50, 100, 250]} />
      </ListBase>
    </Box>
  );
}
