import { lazy } from 'react';
import DeviceIcon from '@mui/icons-material/DevicesOther';

// Read-only resource: devices are known from the orders they placed.
export default {
  list: lazy(() => import('./DeviceList')),
  show: lazy(() => import('./DeviceShow')),
  icon: DeviceIcon,
  recordRepresentation: 'id',
};
