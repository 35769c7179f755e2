import { lazy, Suspense, useState } from 'react';
import Badge from '@mui/material/Badge';
import Box from '@mui/material/Box';
import Paper from '@mui/material/Paper';
import Skeleton from '@mui/material/Skeleton';
import Tab from '@mui/material/Tab';
import Tabs from '@mui/material/Tabs';
import { Show, useCanAccess, useRecordContext, useTranslate } from 'react-admin';
import { useSearchParams } from 'react-router';
import { DevicesTab } from './DevicesTab';
import { IncidentHeader } from './IncidentHeader';
import { IncidentOverview } from './IncidentOverview';
import type { Incident, MembershipStatus } from './incidentTypes';
import { MembersTab } from './MembersTab';
import { RunsTab } from './RunsTab';
import { SummaryTab } from './SummaryTab';
import { TimelineTab } from './TimelineTab';

// The ledger's charts and tables load with the tab, not with the cockpit.
const LedgerTab = lazy(() => import('../ledger/LedgerTab'));

const TABS = ['orders', 'remediation', 'ledger', 'timeline', 'devices', 'summary'] as const;
type TabName = (typeof TABS)[number];

/** Tabs of other resources, with their own label and permission (`<resource>.<action>` of GET /api/auth/me). */
const tabLabels: Partial<Record<TabName, string>> = { remediation: 'resources.runs.tab.label', ledger: 'resources.ledger.tab.label' };

/** The incident commander's cockpit: header and lifecycle, figures, then orders, remediation, ledger, timeline, devices and summary. */
function IncidentCockpit() {
  const incident = useRecordContext<Incident>();
  const translate = useTranslate();
  // The open tab lives in the URL (?tab=timeline), so a link or a reload lands on it.
  const [params, setParams] = useSearchParams();
  // The Ledger tab needs ledger.show; a link straight to it waits for that answer instead of flashing the orders.
  const ledgerAccess = useCanAccess({ resource: 'ledger', action: 'show' });
  const tabs = TABS.filter((t) => t !== 'ledger' || ledgerAccess.canAccess || (ledgerAccess.isPending && params.get('tab') === t));
  const tab: TabName = tabs.find((t) => t === params.get('tab')) ?? 'orders';
  const [memberState, setMemberState] = useState<MembershipStatus>();
  if (!incident) return null;

  const openTab = (next: TabName) =>
    setParams(
      (current) => {
        const updated = new URLSearchParams(current);
        updated.set('tab', next);
        return updated;
      },
      { replace: true },
    );
  const pickState = (state: MembershipStatus) => {
    setMemberState(state);
    openTab('orders');
  };

  return (
    <Box
      sx={{ p: { xs: 1, md: 2 }, display: 'grid', gap: 2, gridTemplateColumns: 'minmax(0, 1fr)' }}
      data-testid="incident-show"
      data-status={incident.status}
    >
      <IncidentHeader />
      <IncidentOverview onPickState={pickState} />
      <Paper variant="outlined">
        <Tabs
          value={tab}
          onChange={(_, next: TabName) => openTab(next)}
          variant="scrollable"
          allowScrollButtonsMobile
          sx={{ borderBottom: 1, borderColor: 'divider', px: 1 }}
        >
          {tabs.map((t) => (
            <Tab
              key={t}
              value={t}
              data-testid={`incident-tab-${t}`}
              label={
                t === 'summary' && incident.status === 'resolved' && !incident.summary?.trim() ? (
                  <Badge color="warning" variant="dot">
                    {translate(`resources.incidents.tabs.${t}`)}
                  </Badge>
                ) : (
                  // The Remediation and Ledger tabs' text lives with the runs and the ledger.
                  translate(tabLabels[t] ?? `resources.incidents.tabs.${t}`)
                )
              }
            />
          ))}
        </Tabs>
        <Box sx={{ p: 2 }} role="tabpanel">
          {tab === 'orders' && <MembersTab state={memberState} onStateChange={setMemberState} />}
          {tab === 'remediation' && <RunsTab />}
          {tab === 'ledger' && (
            <Suspense fallback={<Skeleton variant="rounded" height={160} />}>
              <LedgerTab />
            </Suspense>
          )}
          {tab === 'timeline' && <TimelineTab />}
          {tab === 'devices' && <DevicesTab />}
          {tab === 'summary' && <SummaryTab />}
        </Box>
      </Paper>
    </Box>
  );
}

export default function IncidentShow() {
  return (
    <Show actions={false} sx={{ '& .RaShow-card': { bgcolor: 'transparent', boxShadow: 'none', overflow: 'visible' } }}>
      <IncidentCockpit />
    </Show>
  );
}
