import { lazy } from 'react';
import ProposalsIcon from '@mui/icons-material/Lightbulb';

// Detection creates proposals; people declare or dismiss them (no create/edit views).
export default {
  list: lazy(() => import('./ProposalsList')),
  show: lazy(() => import('./ProposalShow')),
  icon: ProposalsIcon,
  recordRepresentation: 'title',
};
