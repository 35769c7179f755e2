import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import LinearProgress from '@mui/material/LinearProgress';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import type { ComponentType } from 'react';
import { Title, useGetIdentity, usePermissions, useTranslate } from 'react-admin';
import { AdminSection } from './AdminSection';
import { AgentSection } from './AgentSection';
import { CommanderSection } from './CommanderSection';
import { d } from './DashboardParts';
import { SECTIONS, type Section } from './dashboardTypes';
import { FinanceSection } from './FinanceSection';

const sectionViews: Record<Section, ComponentType> = {
  agent: AgentSection,
  commander: CommanderSection,
  finance: FinanceSection,
  admin: AdminSection,
};

/**
 * The landing page: one section per role the user holds, chosen by the same
 * permission matrix the API enforces (`dashboard.<section>` in /api/auth/me).
 * A user with several roles sees each of their sections.
 */
export default function Dashboard() {
  const translate = useTranslate();
  const { identity } = useGetIdentity();
  const { permissions, isPending } = usePermissions<string[]>();
  const roles: string[] = Array.isArray(identity?.roles) ? identity.roles : [];
  const allowed = SECTIONS.filter((section) => Array.isArray(permissions) && permissions.includes(`dashboard.${section}`));

  return (
    <Box data-testid="dashboard" data-sections={allowed.join(' ')} sx={{ mt: 2, mb: 4, display: 'grid', gap: 3 }}>
      <Title title="app.dashboard.title" />
      <Stack direction="row" spacing={1} useFlexGap sx={{ alignItems: 'center', flexWrap: 'wrap' }}>
        <Typography variant="h5" component="h1" data-testid="welcome-name" sx={{ mr: 1 }}>
          {translate('app.dashboard.welcome', { name: identity?.fullName ?? identity?.email ?? '' })}
        </Typography>
        {roles.map((role) => (
          <Chip key={role} size="small" label={translate(`app.roles.${role}`, { _: role })} data-role={role} />
        ))}
      </Stack>
      {isPending && <LinearProgress aria-label={translate(d('loading'))} />}
      {!isPending && allowed.length === 0 && (
        <Typography variant="body1" color="text.secondary" data-testid="dashboard-empty">
          {translate(d('no_sections'))}
        </Typography>
      )}
      {allowed.map((section) => {
        const View = sectionViews[section];
        return <View key={section} />;
      })}
    </Box>
  );
}
