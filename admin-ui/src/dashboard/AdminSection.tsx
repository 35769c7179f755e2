import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Link from '@mui/material/Link';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import ListItemText from '@mui/material/ListItemText';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { RecordContextProvider, useTranslate } from 'react-admin';
import { ThresholdsField } from '../detection-rules/ThresholdsField';
import { AppLink, d, DashCard, Headline, Loaded, SectionPanel } from './DashboardParts';
import type { AdminDashboard, QueueBoardSummary } from './dashboardTypes';
import { HealthCard } from './HealthCard';
import { useDashboardRead } from './useDashboard';

const QUEUE_COUNTS = ['waiting', 'active', 'delayed', 'failed', 'completed'] as const;

function Users({ data }: { data: AdminDashboard['users'] }) {
  const translate = useTranslate();
  return (
    <>
      <Headline
        value={data.total}
        text={translate(d('admin.users_summary'), { active: data.active, total: data.total, recent: data.signedInLast7Days })}
        testId="admin-users-total"
      />
      <Typography variant="subtitle2" component="h4">
        {translate(d('admin.per_role'))}
      </Typography>
      <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: 'wrap', mb: 1 }}>
        {Object.entries(data.activeByRole).map(([role, n]) => (
          <Chip
            key={role}
            size="small"
            variant="outlined"
            label={`${translate(`app.roles.${role}`, { _: role })}: ${n}`}
            data-testid={`admin-role-${role}`}
            data-value={n}
          />
        ))}
      </Stack>
      <Typography variant="subtitle2" component="h4">
        {translate(d('admin.recent_users'))}
      </Typography>
      <List dense disablePadding>
        {data.recent.map((user) => (
          <ListItem key={user.id} disableGutters data-testid="admin-recent-user">
            <ListItemText
              primary={
                <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
                  <AppLink to={`/users/${encodeURIComponent(user.id)}/show`}>{user.email}</AppLink>
                  {!user.active && <Chip size="small" label={translate(d('admin.inactive'))} />}
                </Stack>
              }
              secondary={`${user.fullName} · ${user.roles.map((r) => translate(`app.roles.${r}`, { _: r })).join(', ')}`}
            />
          </ListItem>
        ))}
      </List>
    </>
  );
}

function Rules({ rules }: { rules: AdminDashboard['detectionRules'] }) {
  const translate = useTranslate();
  return (
    <Stack spacing={1.5}>
      {rules.map((rule) => (
        <Box key={rule.id} data-testid="admin-rule" data-rule-id={rule.id}>
          <Stack direction="row" spacing={1} sx={{ alignItems: 'center', mb: 0.5 }}>
            <AppLink to={`/detection-rules/${encodeURIComponent(rule.id)}`}>{rule.title}</AppLink>
            <Chip
              size="small"
              color={rule.enabled ? 'success' : 'default'}
              label={translate(d(rule.enabled ? 'admin.rule_enabled' : 'admin.rule_disabled'))}
            />
          </Stack>
          <RecordContextProvider value={rule}>
            <ThresholdsField />
          </RecordContextProvider>
        </Box>
      ))}
    </Stack>
  );
}

function Queues({ data }: { data: QueueBoardSummary }) {
  const translate = useTranslate();
  return (
    <Box sx={{ overflowX: 'auto' }}>
      <Table size="small" data-testid="admin-queues">
        <TableHead>
          <TableRow>
            <TableCell>{translate(d('admin.queue'))}</TableCell>
            {QUEUE_COUNTS.map((state) => (
              <TableCell key={state} align="right">
                {translate(d(`admin.counts.${state}`))}
              </TableCell>
            ))}
          </TableRow>
        </TableHead>
        <TableBody>
          {data.queues.map((queue) => (
            <TableRow key={queue.key} data-testid="admin-queue" data-queue={queue.key}>
              <TableCell>
                {queue.key}
                {queue.paused && <Chip size="small" color="warning" label={translate(d('admin.paused'))} sx={{ ml: 1 }} />}
              </TableCell>
              {QUEUE_COUNTS.map((state) => (
                <TableCell
                  key={state}
                  align="right"
                  data-state={state}
                  data-value={queue.counts[state] ?? 0}
                  sx={{ fontVariantNumeric: 'tabular-nums', color: state === 'failed' && queue.counts[state] ? 'error.main' : undefined }}
                >
                  {queue.counts[state] ?? 0}
                </TableCell>
              ))}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Box>
  );
}

/** The admin: users, detection thresholds, the queues (and the board behind the same login), system health. */
export function AdminSection() {
  const translate = useTranslate();
  const query = useDashboardRead<AdminDashboard>('dashboard', 'admin');
  const queues = useDashboardRead<QueueBoardSummary>('queue-board');
  // A real navigation: the board is its own page, served by the API under the same session cookie.
  const boardPath = queues.data?.path ?? query.data?.queueBoard.path ?? '/admin/queues';
  return (
    <SectionPanel section="admin">
      <DashCard
        title={translate(d('admin.users'))}
        testId="admin-users-card"
        links={
          <>
            <AppLink to="/users">{translate(d('admin.manage_users'))}</AppLink>
            <AppLink to="/users/create">{translate(d('admin.new_user'))}</AppLink>
          </>
        }
      >
        <Loaded query={query}>{(data) => <Users data={data.users} />}</Loaded>
      </DashCard>
      <DashCard
        title={translate(d('admin.rules'))}
        testId="admin-rules-card"
        links={<AppLink to="/detection-rules">{translate(d('admin.all_rules'))}</AppLink>}
      >
        <Loaded query={query}>{(data) => <Rules rules={data.detectionRules} />}</Loaded>
      </DashCard>
      <DashCard
        title={translate(d('admin.queues'))}
        testId="admin-queues-card"
        links={
          <Link href={boardPath} data-testid="queue-board-link" sx={{ fontWeight: 500 }}>
            {translate(d('admin.open_board'))}
          </Link>
        }
      >
        <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
          {translate(d('admin.board_hint'))}
        </Typography>
        <Loaded query={queues}>{(data) => <Queues data={data} />}</Loaded>
      </DashCard>
      <HealthCard />
    </SectionPanel>
  );
}
