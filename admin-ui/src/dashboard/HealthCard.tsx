import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import CardHeader from '@mui/material/CardHeader';
import IconButton from '@mui/material/IconButton';
import LinearProgress from '@mui/material/LinearProgress';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import ListItemText from '@mui/material/ListItemText';
import Typography from '@mui/material/Typography';
import RefreshIcon from '@mui/icons-material/Refresh';
import { useTranslate } from 'react-admin';
import { StatusChip } from './StatusChip';
import { useHealth } from './useHealth';

export function HealthCard() {
  const translate = useTranslate();
  const { health, error, loading, refresh } = useHealth();
  const checks = health ? Object.entries(health.checks ?? {}) : [];

  return (
    <Card data-testid="health-card">
      <CardHeader
        title={translate('app.health.title')}
        action={
          <>
            {health && <StatusChip status={health.status} />}
            <IconButton aria-label={translate('app.health.refresh')} onClick={refresh} size="small" sx={{ ml: 1 }}>
              <RefreshIcon fontSize="small" />
            </IconButton>
          </>
        }
      />
      {loading ? <LinearProgress /> : <div style={{ height: 4 }} />}
      <CardContent>
        {error && !health && (
          <Typography color="error" variant="body2">
            {translate('app.health.unavailable', { message: error.message })}
          </Typography>
        )}
        {health && checks.length === 0 && <Typography variant="body2">{translate('app.health.no_checks')}</Typography>}
        {checks.length > 0 && (
          <List dense disablePadding>
            {checks.map(([name, check]) => (
              <ListItem
                key={name}
                disableGutters
                data-testid={`health-check-${name}`}
                secondaryAction={<StatusChip status={check.status} />}
              >
                <ListItemText primary={name} secondary={check.detail} />
              </ListItem>
            ))}
          </List>
        )}
      </CardContent>
    </Card>
  );
}
