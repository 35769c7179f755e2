import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import LinearProgress from '@mui/material/LinearProgress';
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
import { useTranslate } from 'react-admin';
import { SeverityChip } from './AgentSection';
import { AppLink, d, DashCard, Headline, Loaded, Money, SectionPanel } from './DashboardParts';
import type { CommanderDashboard } from './dashboardTypes';
import { useDashboardRead } from './useDashboard';

type OpenIncident = CommanderDashboard['openIncidents']['top'][number];

function Approvals({ data }: { data: CommanderDashboard['awaitingMyApproval'] }) {
  const translate = useTranslate();
  return (
    <>
      <Headline
        value={data.total}
        text={translate(d('commander.approvals_count'), { smart_count: data.total })}
        testId="commander-approvals"
      />
      {data.runs.length === 0 ? (
        <Typography variant="body2" color="text.secondary">
          {translate(d('commander.no_approvals'))}
        </Typography>
      ) : (
        <List dense disablePadding>
          {data.runs.map((run) => (
            <ListItem key={run.id} disableGutters data-testid="commander-approval" data-run-id={run.id}>
              <ListItemText
                primary={
                  <Stack direction="row" spacing={1} useFlexGap sx={{ alignItems: 'center', flexWrap: 'wrap' }}>
                    <AppLink to={`/runs/${encodeURIComponent(run.id)}/show`} mono>
                      {run.reference}
                    </AppLink>
                    <AppLink to={`/incidents/${encodeURIComponent(run.incidentId)}/show`} mono>
                      {run.incidentReference}
                    </AppLink>
                    <span>{run.incidentTitle}</span>
                    {run.actions.map((action) => (
                      <Chip
                        key={action}
                        size="small"
                        variant="outlined"
                        label={translate(`resources.runs.run_actions_short.${action}`, { _: action })}
                      />
                    ))}
                    {(run.refundTotals ?? []).map((t) => (
                      <Money key={t.currency} minor={t.amountMinor} currency={t.currency} strong />
                    ))}
                  </Stack>
                }
                secondary={`${translate(d('commander.requested_by'), { email: run.requestedByEmail })} · ${run.reason}`}
              />
            </ListItem>
          ))}
        </List>
      )}
    </>
  );
}

/** Confirmed orders handled as a bar, with the failed ones beside it. */
function Progress({ incident }: { incident: OpenIncident }) {
  const translate = useTranslate();
  const { handled, confirmed, failed } = incident.orders;
  const percent = confirmed === 0 ? 0 : Math.round((handled / confirmed) * 100);
  return (
    <Box sx={{ minWidth: 140 }}>
      <Typography
        variant="body2"
        sx={{ fontVariantNumeric: 'tabular-nums' }}
        data-testid="commander-handled"
        data-handled={handled}
        data-confirmed={confirmed}
      >
        {translate(d('commander.handled_value'), { handled, confirmed })}
        {failed > 0 && (
          <Typography component="span" variant="body2" color="error" sx={{ ml: 1 }} data-testid="commander-failed" data-value={failed}>
            {`${translate(d('commander.failed'))}: ${failed}`}
          </Typography>
        )}
      </Typography>
      <LinearProgress
        variant="determinate"
        value={percent}
        aria-label={translate(d('commander.handled_label'), { handled, confirmed })}
        sx={{ mt: 0.5, height: 6, borderRadius: 3 }}
      />
    </Box>
  );
}

function MoneyLines({ incident, field }: { incident: OpenIncident; field: 'refundedMinor' | 'netLossMinor' }) {
  const translate = useTranslate();
  if (incident.money.length === 0) return <>{translate(d('commander.none'))}</>;
  return (
    <Stack spacing={0.25} sx={{ alignItems: 'flex-end' }}>
      {incident.money.map((m) => (
        <Money key={m.currency} minor={m[field]} currency={m.currency} />
      ))}
    </Stack>
  );
}

function OpenIncidents({ data }: { data: CommanderDashboard['openIncidents'] }) {
  const translate = useTranslate();
  const c = (key: string) => translate(d(`commander.${key}`));
  return (
    <>
      <Headline
        value={data.total}
        text={translate(d('commander.open_count'), { smart_count: data.total })}
        testId="commander-open-incidents"
      />
      <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: 'wrap', mb: 1 }}>
        {Object.entries(data.byStatus)
          .filter(([, n]) => n > 0)
          .map(([status, n]) => (
            <Chip
              key={status}
              size="small"
              variant="outlined"
              label={`${translate(`resources.incidents.statuses.${status}`, { _: status })}: ${n}`}
              data-testid={`commander-status-${status}`}
              data-value={n}
            />
          ))}
      </Stack>
      {data.top.length === 0 ? (
        <Typography variant="body2" color="text.secondary">
          {c('no_incidents')}
        </Typography>
      ) : (
        <Box sx={{ overflowX: 'auto' }}>
          <Table size="small">
            <TableHead>
              <TableRow>
                <TableCell>{c('incident')}</TableCell>
                <TableCell>{c('severity')}</TableCell>
                <TableCell>{c('status')}</TableCell>
                <TableCell>{c('handled')}</TableCell>
                <TableCell align="right">{c('suspected')}</TableCell>
                <TableCell align="right">{c('refunded')}</TableCell>
                <TableCell align="right">{c('net_loss')}</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {data.top.map((incident) => (
                <TableRow key={incident.id} data-testid="commander-incident" data-incident-id={incident.id}>
                  <TableCell>
                    <AppLink to={`/incidents/${encodeURIComponent(incident.id)}/show`} mono>
                      {incident.reference}
                    </AppLink>
                    <Typography variant="body2" sx={{ overflowWrap: 'anywhere', maxWidth: 260 }}>
                      {incident.title}
                    </Typography>
                  </TableCell>
                  <TableCell>
                    <SeverityChip severity={incident.severity} />
                  </TableCell>
                  <TableCell>{translate(`resources.incidents.statuses.${incident.status}`, { _: incident.status })}</TableCell>
                  <TableCell>
                    <Progress incident={incident} />
                  </TableCell>
                  <TableCell align="right" sx={{ fontVariantNumeric: 'tabular-nums' }}>
                    {incident.orders.suspected}
                  </TableCell>
                  <TableCell align="right" data-testid="commander-refunded">
                    <MoneyLines incident={incident} field="refundedMinor" />
                  </TableCell>
                  <TableCell align="right" data-testid="commander-net-loss">
                    <MoneyLines incident={incident} field="netLossMinor" />
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Box>
      )}
    </>
  );
}

/** The incident commander: approvals waiting first (they block others), then the open incidents' recovery. */
export function CommanderSection() {
  const translate = useTranslate();
  const query = useDashboardRead<CommanderDashboard>('dashboard', 'commander');
  return (
    <SectionPanel section="commander">
      <DashCard
        title={translate(d('commander.approvals'))}
        testId="commander-approvals-card"
        wide
        links={<AppLink to="/runs">{translate(d('agent.all_runs'))}</AppLink>}
      >
        <Loaded query={query}>{(data) => <Approvals data={data.awaitingMyApproval} />}</Loaded>
      </DashCard>
      <DashCard
        title={translate(d('commander.open_incidents'))}
        testId="commander-incidents-card"
        wide
        links={<AppLink to="/incidents">{translate(d('commander.all_incidents'))}</AppLink>}
      >
        <Loaded query={query}>{(data) => <OpenIncidents data={data.openIncidents} />}</Loaded>
      </DashCard>
    </SectionPanel>
  );
}
