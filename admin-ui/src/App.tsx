import { Admin, CustomRoutes, Resource } from 'react-admin';
import { Route } from 'react-router';
import { ACCOUNT_PATH, AccountPage } from './account';
import auditLog from './audit-log';
import { Dashboard } from './dashboard';
import { i18nProvider } from './i18n/i18nProvider';
import { Layout } from './layout/Layout';
import { authProvider } from './providers/authProvider';
import { dataProvider } from './providers/dataProvider';
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
      </CustomRoutes>
      <Resource name="users" {...users} />
      <Resource name="audit-log" {...auditLog} />
    </Admin>
  );
}
