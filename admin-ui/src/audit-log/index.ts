import { lazy } from 'react';
import AuditLogIcon from '@mui/icons-material/History';
import type { RaRecord } from 'react-admin';

// Read-only resource: list + show only, so react-admin offers no create/edit routes.
export default {
  list: lazy(() => import('./AuditLogList')),
  show: lazy(() => import('./AuditLogShow')),
  icon: AuditLogIcon,
  recordRepresentation: (record: RaRecord) => `${record.action} #${record.id}`,
};
