import { useEffect, useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import MuiButton from '@mui/material/Button';
import CircularProgress from '@mui/material/CircularProgress';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import DescriptionIcon from '@mui/icons-material/Description';
import DownloadIcon from '@mui/icons-material/Download';
import SaveIcon from '@mui/icons-material/Save';
import { useCanAccess, useNotify, useRecordContext, useRefresh, useTranslate } from 'react-admin';
import { isClosed, type Incident } from './incidentTypes';
import { summaryHref } from './summaryLink';
import { useErrorText, useIncidentCall } from './useIncidentApi';

const SUMMARY_MAX = 50_000;

/** The commander's written post-incident summary (`PATCH summary`); closing the incident needs it. */
function SummaryEditor({ incident }: { incident: Incident }) {
  const translate = useTranslate();
  const notify = useNotify();
  const refresh = useRefresh();
  const call = useIncidentCall();
  const errorText = useErrorText();
  const saved = incident.summary ?? '';
  const [text, setText] = useState(saved);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string>();

  useEffect(() => setText(saved), [saved]);

  const save = async () => {
    setPending(true);
    setError(undefined);
    try {
      await call(incident.id, { method: 'PATCH', path: [], body: { summary: text.trim() || null } });
      notify('resources.incidents.notifications.summary_saved', { type: 'success' });
      refresh();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setPending(false);
    }
  };

  return (
    <>
      <TextField
        label={translate('resources.incidents.summary.label')}
        placeholder={translate('resources.incidents.summary.placeholder')}
        value={text}
        onChange={(event) => setText(event.target.value)}
        multiline
        minRows={6}
        fullWidth
        error={Boolean(error)}
        helperText={error ?? translate('resources.incidents.summary.helper')}
        slotProps={{ htmlInput: { maxLength: SUMMARY_MAX, 'data-testid': 'incident-summary-input' } }}
      />
      <Stack direction="row" sx={{ justifyContent: 'flex-end' }}>
        <MuiButton
          variant="contained"
          startIcon={pending ? <CircularProgress size={16} color="inherit" /> : <SaveIcon />}
          disabled={pending || text.trim() === saved.trim()}
          onClick={save}
          data-testid="incident-summary-save"
        >
          {translate('resources.incidents.actions.save_summary')}
        </MuiButton>
      </Stack>
    </>
  );
}

/**
 * The post-incident summary: the Markdown report the API writes from the
 * incident's own data (downloaded as a file), and the commander's written
 * part of it.
 */
export function SummaryTab() {
  const incident = useRecordContext<Incident>();
  const translate = useTranslate();
  const { canAccess: canEdit } = useCanAccess({ resource: 'incidents', action: 'edit' });
  if (!incident) return null;
  const editable = Boolean(canEdit) && !isClosed(incident);
  return (
    <Box data-testid="incident-summary" sx={{ display: 'grid', gap: 2 }}>
      <Paper variant="outlined" sx={{ p: 2 }}>
        <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2} sx={{ alignItems: { sm: 'center' } }}>
          <DescriptionIcon color="action" sx={{ fontSize: 40 }} />
          <Box sx={{ flex: 1 }}>
            <Typography variant="subtitle1" sx={{ fontWeight: 600 }}>
              {translate('resources.incidents.summary.report_title', { reference: incident.reference })}
            </Typography>
            <Typography variant="body2" color="text.secondary">
              {translate('resources.incidents.summary.report_intro')}
            </Typography>
          </Box>
          <MuiButton
            variant="contained"
            startIcon={<DownloadIcon />}
            component="a"
            href={summaryHref(incident.id)}
            download={`${incident.reference}-summary.md`}
            data-testid="incident-summary-download"
          >
            {translate('resources.incidents.actions.download_summary')}
          </MuiButton>
        </Stack>
      </Paper>
      <Paper variant="outlined" sx={{ p: 2, display: 'grid', gap: 1.5 }}>
        <Typography variant="subtitle1" component="h2" sx={{ fontWeight: 600 }}>
          {translate('resources.incidents.summary.written_title')}
        </Typography>
        {!incident.summary?.trim() && incident.status === 'resolved' && (
          <Alert severity="info">{translate('resources.incidents.lifecycle.close_needs_summary')}</Alert>
        )}
        {editable ? (
          <SummaryEditor incident={incident} />
        ) : (
          <Typography
            variant="body2"
            sx={{ whiteSpace: 'pre-wrap', color: incident.summary ? undefined : 'text.secondary' }}
            data-testid="incident-summary-text"
          >
            {incident.summary?.trim() || translate('resources.incidents.summary.not_written')}
          </Typography>
        )}
      </Paper>
    </Box>
  );
}
