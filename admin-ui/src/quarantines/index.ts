import { lazy } from 'react';
import QuarantinesIcon from '@mui/icons-material/Block';

// Quarantines are never edited or deleted: they are created, and released with a reason.
export default {
  list: lazy(() => import('./QuarantinesList')),
  show: lazy(() => import('./QuarantineShow')),
  create: lazy(() => import('./QuarantineCreate')),
  icon: QuarantinesIcon,
  // Page titles name what is stopped, not the row's uuid.
  recordRepresentation: (record: { scope?: string; deviceId?: string; model?: string; firmwareVersion?: string }) =>
    record.scope === 'device'
      ? `${record.deviceId}`
      : record.scope === 'firmware'
        ? `${record.model} ${record.firmwareVersion}`
        : `${record.model}`,
};
