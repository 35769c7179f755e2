import Chip from '@mui/material/Chip';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import ListItemText from '@mui/material/ListItemText';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useTranslate } from 'react-admin';
import { AppLink, d, DashCard, Headline, Loaded, Money, SectionPanel } from './DashboardParts';
import type { AgentDashboard } from './dashboardTypes';
import { useDashboardRead } from './useDashboard';

const SEVERITY_COLOR = { critical: 'error', high: 'warning', medium: 'info', low: 'default' } as const;

export function SeverityChip({ severity }: { severity: string }) {
  const translate = useTranslate();
  return (
    <Chip
      size="small"
      color={SEVERITY_COLOR[severity as keyof typeof SEVERITY_COLOR] ?? 'default'}
      label={translate(`resources.incidents.severities.${severity}`, { _: severity })}
      data-severity={severity}
    />
  );
}

function ProposalsCard({ data }: { data: AgentDashboard['proposals'] }) {
  const translate = useTranslate();
  return (
    <>
      <Headline value={data.open} text={translate(d('agent.open_proposals'), { smart_count: data.open })} testId="agent-open-proposals" />
      <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: 'wrap', mb: 1 }}>
        {Object.entries(data.bySeverity)
          .filter(([, n]) => n > 0)
          .map(([severity, n]) => (
            <Chip
              key={severity}
              size="small"
              variant="outlined"
              label={`${translate(`resources.incidents.severities.${severity}`, { _: severity })}: ${n}`}
              data-testid={`agent-proposals-${severity}`}
              data-value={n}
            />
          ))}
      </Stack>
      {data.top.length === 0 ? (
        <Typography variant="body2" color="text.secondary">
          {translate(d('agent.no_proposals'))}
        </Typography>
      ) : (
        <List dense disablePadding>
          {data.top.map((p) => (
            <ListItem key={p.id} disableGutters data-testid="agent-proposal" data-proposal-id={p.id}>
              <ListItemText
                primary={
                  <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
                    <SeverityChip severity={p.severity} />
                    <AppLink to={`/proposals/${encodeURIComponent(p.id)}/show`}>{p.title}</AppLink>
                  </Stack>
                }
                secondary={
                  <>
                    {translate(d('agent.proposal_meta'), { score: p.score, orders: p.orderCount, devices: p.deviceCount })}
                    {p.valueByCurrency.map((v) => (
                      <span key={v.currency}>
                        {' · '}
                        <Money minor={v.totalMinor} currency={v.currency} />
                      </span>
                    ))}
                  </>
                }
              />
            </ListItem>
          ))}
        </List>
      )}
    </>
  );
}

function RunsToRetryCard({ data }: { data: AgentDashboard['runsToRetry'] }) {
  const translate = useTranslate();
  return (
    <>
      <Headline
        value={data.runs}
        text={`${translate(d('agent.runs_summary'), { smart_count: data.runs })} · ${translate(d('agent.failed_steps'), { smart_count: data.failedSteps })}`}
        testId="agent-runs-to-retry"
      />
      {data.top.length === 0 ? (
        <Typography variant="body2" color="text.secondary">
          {translate(d('agent.no_runs'))}
        </Typography>
      ) : (
        <List dense disablePadding>
          {data.top.map((run) => (
            <ListItem key={run.id} disableGutters data-testid="agent-run" data-run-id={run.id} data-failed={run.failedSteps}>
              <ListItemText
                primary={
                  <Stack direction="row" spacing={1} useFlexGap sx={{ alignItems: 'center', flexWrap: 'wrap' }}>
                    <AppLink to={`/runs/${encodeURIComponent(run.id)}/show`} mono>
                      {run.reference}
                    </AppLink>
                    <Chip size="small" label={translate(`resources.runs.statuses.${run.status}`, { _: run.status })} />
                    <Chip size="small" color="error" label={translate(d('agent.failed_steps'), { smart_count: run.failedSteps })} />
                  </Stack>
                }
                secondary={
                  <>
                    <AppLink to={`/incidents/${encodeURIComponent(run.incidentId)}/show`} mono>
                      {run.incidentReference}
                    </AppLink>{' '}
                    {run.incidentTitle}
                  </>
                }
              />
            </ListItem>
          ))}
        </List>
      )}
    </>
  );
}

/** The support agent's work queue: proposals to triage and runs to retry. */
export function AgentSection() {
  const translate = useTranslate();
  const query = useDashboardRead<AgentDashboard>('dashboard', 'agent');
  return (
    <SectionPanel section="agent">
      <DashCard
        title={translate(d('agent.proposals'))}
        testId="agent-proposals-card"
        links={<AppLink to="/proposals">{translate(d('agent.all_proposals'))}</AppLink>}
      >
        <Loaded query={query}>{(data) => <ProposalsCard data={data.proposals} />}</Loaded>
      </DashCard>
      <DashCard
        title={translate(d('agent.runs'))}
        testId="agent-runs-card"
        links={<AppLink to="/runs">{translate(d('agent.all_runs'))}</AppLink>}
      >
        <Loaded query={query}>{(data) => <RunsToRetryCard data={data.runsToRetry} />}</Loaded>
      </DashCard>
    </SectionPanel>
  );
}
