import { lazy } from 'react';
import OrderIcon from '@mui/icons-material/ReceiptLong';

// Read-only resource: orders arrive from the shops or a CSV import, so no create/edit views.
export default {
  list: lazy(() => import('./OrderList')),
  show: lazy(() => import('./OrderShow')),
  icon: OrderIcon,
  recordRepresentation: 'externalId',
};
