import { lazy } from 'react';
import UserIcon from '@mui/icons-material/People';

// Views are lazy so list/form code loads only when a page needs it.
export default {
  list: lazy(() => import('./UserList')),
  show: lazy(() => import('./UserShow')),
  edit: lazy(() => import('./UserEdit')),
  create: lazy(() => import('./UserCreate')),
  icon: UserIcon,
  recordRepresentation: 'email',
};
