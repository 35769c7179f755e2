import { useState, type MouseEvent } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import MuiButton from '@mui/material/Button';
import Link from '@mui/material/Link';
import Skeleton from '@mui/material/Skeleton';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import PlaylistPlayIcon from '@mui/icons-material/PlaylistPlay';
import { LinkBase, RecordContextProvider, useCanAccess, useGetList, useRecordContext, useTranslate } from 'react-admin';
import { useNavigate } from 'react-router';
import { DateTimeField } from '../common/DateTimeField';
import { RefundTotalsField, RunActionsField, RunStatusField, StepsProgressField } from '../runs/RunFields';
import { isFinalRun, type RunRow } from '../runs/runTypes';
import { t } from '../runs/useRunApi';
import type { Incident } from './incidentTypes';
import { NewRunDialog } from './NewRunDialog';

const RUNS_SHOWN = 50;

/** Runs can be requested in triage or remediating (backend/src/remediation/run-lifecycle.ts). */
const canRunFrom = ['triage', 'remediating'];

/**
 * The incident's remediation runs, newest first, with live state and
 * progress (refreshed every 2 s while one of them is moving), and the "New
 * remediation run" flow.
 */
export function RunsTab() {
  const incident = useRecordContext<Incident>();
  const translate = useTranslate();
  const navigate = useNavigate();
  const { canAccess: canPreview } = useCanAccess({ resource: 'runs', action: 'preview' });
  const [creating, setCreating] = useState(false);
  const {
    data: runs,
    total,
    isPending,
    error,
  } = useGetList<RunRow>(
    'runs',
    {
      filter: { incidentId: incident?.id },
      sort: { field: 'requestedAt', order: 'DESC' },
      pagination: { page: 1, perPage: RUNS_SHOWN },
    },
    {
      enabled: Boolean(incident?.id),
      refetchInterval: (query) =>
        (query.state.data as { data?: RunRow[] } | undefined)?.data?.some((r) => !isFinalRun(r.status)) ? 2000 : false,
    },
  );
  if (!incident) return null;

  const confirmed = incident.members?.confirmed ?? 0;
  const stateOk = canRunFrom.includes(incident.status);
  const hint = !stateOk ? t('tab.needs_state') : confirmed === 0 ? t('tab.needs_confirmed') : undefined;
  const open = (run: RunRow) => navigate(`/runs/${encodeURIComponent(run.id)}/show`);

  return (
    <Box data-testid="incident-runs" sx={{ display: 'grid', gap: 2 }}>
      <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2} sx={{ justifyContent: 'space-between', alignItems: { sm: 'center' } }}>
        <Box>
          <Typography variant="subtitle1" component="h2" sx={{ fontWeight: 600 }}>
            {translate(t('tab.title'))}
          </Typography>
          <Typography variant="body2" color="text.secondary">
            {hint ? translate(hint, { status: translate(`resources.incidents.statuses.${incident.status}`) }) : translate(t('tab.intro'))}
          </Typography>
        </Box>
        {canPreview && incident.status !== 'closed' && (
          <MuiButton
            variant="contained"
            startIcon={<PlaylistPlayIcon />}
            onClick={() => setCreating(true)}
            disabled={Boolean(hint)}
            sx={{ flexShrink: 0 }}
            data-testid="run-new-button"
          >
            {translate(t('actions.new'))}
          </MuiButton>
        )}
      </Stack>
      {error ? (
        <Alert severity="error">{(error as Error).message}</Alert>
      ) : isPending ? (
        <Skeleton height={120} />
      ) : !runs?.length ? (
        <Box
          sx={{ py: 4, textAlign: 'center', border: 1, borderStyle: 'dashed', borderColor: 'divider', borderRadius: 1 }}
          data-testid="incident-runs-empty"
        >
          <PlaylistPlayIcon color="disabled" sx={{ fontSize: 40 }} />
          <Typography variant="body2" color="text.secondary">
            {translate(t('tab.empty'))}
          </Typography>
        </Box>
      ) : (
        <Box sx={{ overflowX: 'auto' }}>
          <Table size="small" data-testid="incident-runs-table">
            <TableHead>
              <TableRow>
                <TableCell>{translate(t('fields.reference'))}</TableCell>
                <TableCell>{translate(t('fields.status'))}</TableCell>
                <TableCell>{translate(t('fields.actions'))}</TableCell>
                <TableCell>{translate(t('fields.requestedBy'))}</TableCell>
                <TableCell align="right">{translate(t('fields.refundTotals'))}</TableCell>
                <TableCell sx={{ minWidth: 180 }}>{translate(t('fields.progress'))}</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {runs.map((run) => (
                <RecordContextProvider key={run.id} value={run}>
                  <TableRow
                    hover
                    onClick={() => open(run)}
                    sx={{ cursor: 'pointer', '& td': { verticalAlign: 'top' } }}
                    data-testid="incident-run-row"
                    data-run-id={run.id}
                    data-status={run.status}
                  >
                    <TableCell>
                      <Link
                        component={LinkBase}
                        to={`/runs/${encodeURIComponent(run.id)}/show`}
                        onClick={(event: MouseEvent) => event.stopPropagation()}
                        sx={{ fontFamily: 'monospace', fontWeight: 600, whiteSpace: 'nowrap' }}
                      >
                        {run.reference}
                      </Link>
                    </TableCell>
                    <TableCell>
                      <RunStatusField />
                    </TableCell>
                    <TableCell>
                      <RunActionsField />
                    </TableCell>
                    <TableCell>
                      <Typography variant="body2">{run.requestedByEmail}</Typography>
                      <Typography variant="caption" color="text.secondary">
                        <DateTimeField source="requestedAt" />
                      </Typography>
                    </TableCell>
                    <TableCell align="right">
                      <RefundTotalsField />
                    </TableCell>
                    <TableCell>
                      <StepsProgressField />
                    </TableCell>
                  </TableRow>
                </RecordContextProvider>
              ))}
            </TableBody>
          </Table>
          {(total ?? 0) > RUNS_SHOWN && (
            <Link
              component={LinkBase}
              to={{ pathname: '/runs', search: `?filter=${encodeURIComponent(JSON.stringify({ incidentId: incident.id }))}` }}
            >
              {translate(t('tab.all_runs'), { smart_count: total ?? 0 })}
            </Link>
          )}
        </Box>
      )}
      {creating && <NewRunDialog incident={incident} open onClose={() => setCreating(false)} />}
    </Box>
  );
}
