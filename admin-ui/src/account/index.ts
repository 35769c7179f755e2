import { lazy } from 'react';

export const ACCOUNT_PATH = '/account';
export const AccountPage = lazy(() => import('./AccountPage'));
