import { Admin, CustomRoutes, Resource } from 'react-admin';
import { Route } from 'react-router';
import { ACCOUNT_PATH, AccountPage } from './account';
import auditLog from './audit-log';
import customers from './customers';
import detectionRules from './detection-rules';
import { Dashboard } from './dashboard';
import devices from './devices';
import { FINANCE_PATH, FinancePage } from './finance';
import { i18nProvider } from './i18n/i18nProvider';
import incidents from './incidents';
import { Layout } from './layout/Layout';
import orders from './orders';
import { ORDER_IMPORT_PATH, OrderImportPage } from './orders/import';
import proposals from './proposals';
import { authProvider } from './providers/authProvider';
import { dataProvider } from './providers/dataProvider';
import quarantines from './quarantines';
import runs from './runs';
import users from './users';

export function App() {
  return (
    <Admin
      // Telemetry would call marmelab's servers; this is an offline back office.
      disableTelemetry
      title="Recovery Desk"
      dataProvider={dataProvider}
      authProvider={authProvider}
      i18nProvider={i18nProvider}
      dashboard={Dashboard}
      layout={Layout}
      requireAuth
    >
      <CustomRoutes>
        <Route path={ACCOUNT_PATH} element={<AccountPage />} />
        <Route path={ORDER_IMPORT_PATH} element={<OrderImportPage />} />
        <Route path={FINANCE_PATH} element={<FinancePage />} />
      </CustomRoutes>
      <Resource name="incidents" {...incidents} />
      <Resource name="runs" {...runs} />
      <Resource name="proposals" {...proposals} />
      <Resource name="orders" {...orders} />
      <Resource name="devices" {...devices} />
      <Resource name="customers" {...customers} />
      <Resource name="quarantines" {...quarantines} />
      <Resource name="detection-rules" {...detectionRules} />
      <Resource name="users" {...users} />
      <Resource name="audit-log" {...auditLog} />
    </Admin>
  );
}
