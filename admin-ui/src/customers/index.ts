import { lazy } from 'react';
import CustomerIcon from '@mui/icons-material/Contacts';
import type { RaRecord } from 'react-admin';

// Read-only resource: customers are known from the orders they placed.
export default {
  list: lazy(() => import('./CustomerList')),
  show: lazy(() => import('./CustomerShow')),
  icon: CustomerIcon,
  recordRepresentation: (record: RaRecord) => (record.name ? `${record.name} <${record.email}>` : record.email),
};
