import Alert from '@mui/material/Alert';
import CircularProgress from '@mui/material/CircularProgress';
import RadarIcon from '@mui/icons-material/Radar';
import { useMutation } from '@tanstack/react-query';
import { Button, useCanAccess, useDataProvider, useNotify, useRefresh, useTranslate } from 'react-admin';
import type { AppDataProvider } from '../providers/dataProvider';
import { apiPath } from '../providers/dataProvider';

/** `POST /api/proposals/run` answer (backend DetectionService.runPass). */
interface PassReport {
  runId: string | null;
  skipped?: string;
  hits: number;
  proposalsCreated: number;
  proposalsUpdated: number;
  durationMs: number;
}

function RunResult({ report }: { report: PassReport }) {
  const translate = useTranslate();
  if (report.skipped) {
    return (
      <Alert severity="info" variant="filled" data-testid="proposals-run-result">
        {translate('resources.proposals.notifications.run_skipped', { reason: report.skipped })}
      </Alert>
    );
  }
  return (
    <Alert severity="success" variant="filled" data-testid="proposals-run-result">
      {translate('resources.proposals.notifications.run_done', {
        hits: report.hits,
        created: report.proposalsCreated,
        updated: report.proposalsUpdated,
        duration: report.durationMs,
      })}
    </Alert>
  );
}

/** Runs a detection pass on demand (`proposals.run`) and reports what it found. */
export function RunDetectionButton() {
  const { canAccess } = useCanAccess({ resource: 'proposals', action: 'run' });
  const dataProvider = useDataProvider<AppDataProvider>();
  const notify = useNotify();
  const refresh = useRefresh();
  const run = useMutation({
    mutationFn: async () => (await dataProvider.call<PassReport>({ method: 'POST', path: apiPath('proposals', 'run') })).data,
    onSuccess: (report) => {
      // An empty answer means the session ended (the data provider logged the user out).
      if (!report) return;
      notify(<RunResult report={report} />, { autoHideDuration: 8000 });
      refresh();
    },
    onError: (error: Error) => notify(error.message || 'ra.notification.http_error', { type: 'error' }),
  });
  if (!canAccess) return null;
  return (
    <Button
      label="resources.proposals.actions.run"
      onClick={() => run.mutate()}
      disabled={run.isPending}
      data-testid="proposals-run-button"
    >
      {run.isPending ? <CircularProgress size={16} /> : <RadarIcon />}
    </Button>
  );
}
