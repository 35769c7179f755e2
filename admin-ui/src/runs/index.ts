import { lazy } from 'react';
import RunsIcon from '@mui/icons-material/PlaylistPlay';

// Views are lazy: the run page's code loads only when it is opened. Runs are
// requested from an incident (its Remediation tab), never created or edited here.
export default {
  list: lazy(() => import('./RunList')),
  show: lazy(() => import('./RunShow')),
  icon: RunsIcon,
  recordRepresentation: (record: { reference?: string; incidentReference?: string }) =>
    [record.reference, record.incidentReference].filter(Boolean).join(' · '),
};
