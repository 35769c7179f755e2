import { lazy } from 'react';
import IncidentsIcon from '@mui/icons-material/ReportProblem';

// Views are lazy: the cockpit's code loads only when an incident page is opened.
// No edit view: title, severity and commander are edited in place on the cockpit.
export default {
  list: lazy(() => import('./IncidentList')),
  show: lazy(() => import('./IncidentShow')),
  create: lazy(() => import('./IncidentCreate')),
  icon: IncidentsIcon,
  recordRepresentation: (record: { reference?: string; title?: string }) => [record.reference, record.title].filter(Boolean).join(' · '),
};
