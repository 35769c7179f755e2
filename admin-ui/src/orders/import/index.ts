import { lazy } from 'react';

/** Custom route (App.tsx) of the CSV import page; the orders list links to it. */
export const ORDER_IMPORT_PATH = '/orders/import';
export const OrderImportPage = lazy(() => import('./OrderImportPage'));
