import type { ReactNode } from 'react';
import Box from '@mui/material/Box';
import Divider from '@mui/material/Divider';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import {
  CanAccess,
  Link,
  ListBase,
  NumberField,
  Pagination,
  Show,
  SimpleShowLayout,
  TextField,
  useRecordContext,
  useTranslate,
} from 'react-admin';
import { DateTimeField } from '../common/DateTimeField';
import { DevicesTable } from '../devices/DevicesTable';
import { ExpiresField, QuarantineStatusField, ScopeField, TargetField } from './QuarantineFields';
import { ReleaseQuarantineButton } from './ReleaseQuarantineButton';
import { devicesFilterOf, type Quarantine } from './types';

function Section({ title, children }: { title: string; children: ReactNode }) {
  const translate = useTranslate();
  return (
    <Box component="section">
      <Typography variant="subtitle1" component="h2" sx={{ fontWeight: 600 }}>
        {translate(title)}
      </Typography>
      <SimpleShowLayout sx={{ px: 0, pt: 0.5 }}>{children}</SimpleShowLayout>
    </Box>
  );
}

function IncidentLink(_props: { label?: string }) {
  const record = useRecordContext<Quarantine>();
  if (!record?.incidentId) return <span>—</span>;
  return <Link to={`/incidents/${encodeURIComponent(record.incidentId)}/show`}>{record.incidentId}</Link>;
}

/** The devices the quarantine names now (the server's own devicesNamed is the count). */
function CoveredDevices() {
  const record = useRecordContext<Quarantine>();
  const translate = useTranslate();
  const filter = record ? devicesFilterOf(record) : undefined;
  if (!record || !filter) return null;
  return (
    <CanAccess resource="devices" action="list">
      <Box component="section" data-testid="quarantine-devices">
        <Typography variant="h6" component="h2" sx={{ mb: 1 }}>
          {translate('resources.quarantines.sections.devices', { smart_count: record.devicesNamed ?? 0 })}
        </Typography>
        <ListBase resource="devices" filter={filter} sort={{ field: 'id', order: 'ASC' }} perPage={10} disableSyncWithLocation>
          <DevicesTable />
          <Pagination rowsPerPageOptions={[10, 25, 50]} />
        </ListBase>
      </Box>
    </CanAccess>
  );
}

function QuarantineShowLayout() {
  const record = useRecordContext<Quarantine>();
  if (!record) return null;
  return (
    <Stack spacing={3} sx={{ p: 2 }} data-testid="quarantine-show" data-status={record.status}>
      <Stack direction="row" spacing={2} useFlexGap sx={{ alignItems: 'center', flexWrap: 'wrap' }}>
        <ScopeField />
        <Box sx={{ typography: 'h5' }}>
          <TargetField />
        </Box>
        <QuarantineStatusField />
        <Box sx={{ flexGrow: 1 }} />
        <ReleaseQuarantineButton size="medium" />
      </Stack>
      <Box sx={{ display: 'grid', gap: 3, gridTemplateColumns: { xs: '1fr', md: '1fr 1fr' }, alignItems: 'start' }}>
        <Stack spacing={2} divider={<Divider flexItem />}>
          <Section title="resources.quarantines.sections.decision">
            <TextField source="reason" />
            <NumberField source="devicesNamed" />
            <IncidentLink label="resources.quarantines.fields.incidentId" />
          </Section>
          <Section title="resources.quarantines.sections.created">
            <DateTimeField source="createdAt" />
            <TextField source="createdByEmail" emptyText="—" />
            <ExpiresField label="resources.quarantines.fields.expiresAt" />
          </Section>
        </Stack>
        {record.releasedAt && (
          <Section title="resources.quarantines.sections.released">
            <DateTimeField source="releasedAt" />
            <TextField source="releasedByEmail" emptyText="—" />
            <TextField source="releaseReason" emptyText="—" />
          </Section>
        )}
      </Box>
      <CoveredDevices />
    </Stack>
  );
}

export default function QuarantineShow() {
  return (
    <Show actions={false}>
      <QuarantineShowLayout />
    </Show>
  );
}
