import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import Chip from '@mui/material/Chip';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useGetIdentity, useTranslate } from 'react-admin';

export function WelcomeCard() {
  const translate = useTranslate();
  const { identity } = useGetIdentity();
  const roles: string[] = Array.isArray(identity?.roles) ? identity.roles : [];

  return (
    <Card data-testid="welcome-card">
      <CardContent>
        <Typography variant="h5" component="h2" gutterBottom>
          {translate('app.title')}
        </Typography>
        <Typography variant="h6" component="p" data-testid="welcome-name">
          {translate('app.dashboard.welcome', { name: identity?.fullName ?? identity?.email ?? '' })}
        </Typography>
        <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
          {translate('app.dashboard.tagline')}
        </Typography>
        <Typography variant="subtitle2" gutterBottom>
          {translate('app.dashboard.your_roles')}
        </Typography>
        <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: 'wrap' }} data-testid="welcome-roles">
          {roles.length === 0 && <Typography variant="body2">{translate('app.dashboard.no_roles')}</Typography>}
          {roles.map((role) => (
            <Chip key={role} label={translate(`app.roles.${role}`, { _: role })} data-role={role} />
          ))}
        </Stack>
      </CardContent>
    </Card>
  );
}
