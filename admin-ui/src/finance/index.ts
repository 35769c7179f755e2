import { lazy } from 'react';

/** The finance dashboard: a custom route (not a resource), its code loaded when it is opened. */
export const FINANCE_PATH = '/finance';
export const FinancePage = lazy(() => import('./FinancePage'));
