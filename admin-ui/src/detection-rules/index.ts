import { lazy } from 'react';
import DetectionRulesIcon from '@mui/icons-material/Tune';

// Rules are fixed in code; their switch and thresholds are edited here (admins only).
export default {
  list: lazy(() => import('./DetectionRulesList')),
  edit: lazy(() => import('./DetectionRuleEdit')),
  icon: DetectionRulesIcon,
  recordRepresentation: 'title',
};
