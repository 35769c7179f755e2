import Box from '@mui/material/Box';
import { Title } from 'react-admin';
import { HealthCard } from './HealthCard';
import { WelcomeCard } from './WelcomeCard';

export default function Dashboard() {
  return (
    <Box
      data-testid="dashboard"
      sx={{ display: 'grid', gap: 2, mt: 2, gridTemplateColumns: { xs: '1fr', md: '1fr 1fr' }, alignItems: 'start' }}
    >
      <Title title="app.dashboard.title" />
      <WelcomeCard />
      <HealthCard />
    </Box>
  );
}
