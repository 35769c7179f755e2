import type { ReactNode } from 'react';
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import MuiButton from '@mui/material/Button';
import LinearProgress from '@mui/material/LinearProgress';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import OpenIcon from '@mui/icons-material/OpenInNew';
import {
  LinkBase,
  ListContextProvider,
  Pagination,
  ResourceContextProvider,
  Show,
  useList,
  useRecordContext,
  useTranslate,
} from 'react-admin';
import { DateTimeField } from '../common/DateTimeField';
import { OrdersTable } from '../orders/OrdersTable';
import { DeclareIncidentButton } from './DeclareIncidentButton';
import { DismissProposalButton } from './DismissProposalButton';
import { ProposalEvidence } from './evidence/ProposalEvidence';
import { ProposalStatusField, RulesField, ScoreField, SeverityField, ValueByCurrencyField } from './ProposalFields';
import type { Proposal } from './types';
import { MAX_LOADED_ORDERS, useProposalOrders, type ProposalOrders } from './useProposalOrders';

const t = (key: string) => `resources.proposals.${key}`;

/** A headline figure: small label above, value below. */
function Stat({ label, children, testId }: { label: string; children: ReactNode; testId: string }) {
  const translate = useTranslate();
  return (
    <Box sx={{ px: 2, py: 1.5, border: 1, borderColor: 'divider', borderRadius: 1, minWidth: 0 }}>
      <Typography variant="overline" color="text.secondary" component="div" sx={{ lineHeight: 1.6 }}>
        {translate(label)}
      </Typography>
      <Box data-testid={testId} sx={{ fontSize: '1.125rem', fontWeight: 500, fontVariantNumeric: 'tabular-nums' }}>
        {children}
      </Box>
    </Box>
  );
}

function Section({ title, children, testId }: { title: string; children: ReactNode; testId?: string }) {
  return (
    <Box component="section" data-testid={testId}>
      <Typography variant="h6" component="h2" sx={{ mb: 1.5 }}>
        {title}
      </Typography>
      {children}
    </Box>
  );
}

function Outcome({ proposal }: { proposal: Proposal }) {
  const translate = useTranslate();
  if (proposal.status === 'declared') {
    return (
      <Alert
        severity="success"
        data-testid="proposal-outcome"
        data-status="declared"
        action={
          proposal.incidentId ? (
            <MuiButton
              component={LinkBase}
              to={`/incidents/${encodeURIComponent(proposal.incidentId)}/show`}
              color="inherit"
              size="small"
              endIcon={<OpenIcon />}
              data-testid="proposal-incident-link"
            >
              {translate(t('actions.open_incident'))}
            </MuiButton>
          ) : undefined
        }
      >
        <AlertTitle>{translate(t('outcome.declared_title'))}</AlertTitle>
        {translate(t('outcome.declared'))} <DateTimeField source="updatedAt" record={proposal} />
      </Alert>
    );
  }
  if (proposal.status === 'dismissed') {
    return (
      <Alert severity="info" data-testid="proposal-outcome" data-status="dismissed">
        <AlertTitle>{translate(t('outcome.dismissed_title'))}</AlertTitle>
        <Box component="span" data-testid="proposal-dismissed-reason">
          {proposal.dismissedReason ? `“${proposal.dismissedReason}”` : '—'}
        </Box>
        {' · '}
        <DateTimeField source="updatedAt" record={proposal} />
      </Alert>
    );
  }
  return null;
}

function Figures({ proposal }: { proposal: Proposal }) {
  const devices = proposal.deviceCount;
  return (
    <Box
      sx={{ display: 'grid', gap: 1.5, gridTemplateColumns: { xs: '1fr 1fr', md: 'repeat(3, 1fr)', lg: 'repeat(6, 1fr)' } }}
      data-testid="proposal-figures"
    >
      <Stat label={t('fields.score')} testId="proposal-score">
        <ScoreField size="large" />
      </Stat>
      <Stat label={t('fields.orderCount')} testId="proposal-order-count">
        {proposal.orderCount}
      </Stat>
      <Stat label={t('fields.deviceCount')} testId="proposal-device-count">
        {devices}
      </Stat>
      <Stat label={t('fields.valueByCurrency')} testId="proposal-value">
        <ValueByCurrencyField withOrders />
      </Stat>
      <Stat label={t('fields.firstOrderAt')} testId="proposal-first-seen">
        <DateTimeField source="firstOrderAt" />
      </Stat>
      <Stat label={t('fields.lastOrderAt')} testId="proposal-last-seen">
        <DateTimeField source="lastOrderAt" />
      </Stat>
    </Box>
  );
}

/** The proposal's orders, sorted and paged in the browser (they were loaded by id). */
function ProposalOrdersTable({ orders, isPending }: { orders: ProposalOrders | undefined; isPending: boolean }) {
  const translate = useTranslate();
  const list = useList({
    data: orders?.orders ?? [],
    isPending,
    perPage: 10,
    sort: { field: 'placedAt', order: 'DESC' },
    resource: 'orders',
  });
  return (
    <ResourceContextProvider value="orders">
      <ListContextProvider value={list}>
        {orders?.truncated && (
          <Alert severity="warning" sx={{ mb: 1 }}>
            {translate(t('orders_truncated'), { smart_count: MAX_LOADED_ORDERS })}
          </Alert>
        )}
        <OrdersTable />
        <Pagination rowsPerPageOptions={[10, 25, 50]} />
      </ListContextProvider>
    </ResourceContextProvider>
  );
}

function ProposalShowLayout() {
  const record = useRecordContext<Proposal>();
  const translate = useTranslate();
  const { data: orders, isPending } = useProposalOrders(record);
  if (!record) return null;
  const evidence = record.evidence ?? [];
  return (
    <Stack spacing={3} sx={{ p: 2 }} data-testid="proposal-show" data-status={record.status}>
      <Stack direction={{ xs: 'column', md: 'row' }} spacing={2} sx={{ alignItems: { md: 'flex-start' } }}>
        <Box sx={{ flexGrow: 1, minWidth: 0 }}>
          <Typography variant="h5" component="h1" data-testid="proposal-title">
            {record.title}
          </Typography>
          <Stack direction="row" spacing={1} useFlexGap sx={{ alignItems: 'center', flexWrap: 'wrap', mt: 1 }}>
            <ProposalStatusField />
            <SeverityField />
            <RulesField />
            <Typography variant="body2" color="text.secondary" component="span">
              {translate(t('detected_at'))} <DateTimeField source="createdAt" />
            </Typography>
          </Stack>
        </Box>
        <Stack direction="row" spacing={1} sx={{ flexShrink: 0 }}>
          <DismissProposalButton proposal={record} />
          <DeclareIncidentButton proposal={record} />
        </Stack>
      </Stack>
      <Outcome proposal={record} />
      <Figures proposal={record} />
      <Section title={translate(t('sections.evidence'), { smart_count: evidence.length })} testId="proposal-evidence">
        {isPending && <LinearProgress sx={{ mb: 1 }} />}
        <ProposalEvidence evidence={evidence} orders={orders?.orders ?? []} loadingOrders={isPending} />
      </Section>
      <Section title={translate(t('sections.orders'), { smart_count: record.orderCount })} testId="proposal-orders">
        <ProposalOrdersTable orders={orders} isPending={isPending} />
      </Section>
    </Stack>
  );
}

export default function ProposalShow() {
  return (
    <Show actions={false}>
      <ProposalShowLayout />
    </Show>
  );
}
