import Chip from '@mui/material/Chip';
import Typography from '@mui/material/Typography';
import GavelIcon from '@mui/icons-material/Gavel';
import {
  AutocompleteInput,
  DataTable,
  List,
  ReferenceInput,
  SelectArrayInput,
  TopToolbar,
  FilterButton,
  useCanAccess,
  useGetList,
  useListContext,
  useRecordContext,
  useTranslate,
} from 'react-admin';
import { DateTimeField } from '../common/DateTimeField';
import { RefundTotalsField, RunActionsField, RunReferenceField, RunStatusField, StepsProgressField } from './RunFields';
import { isFinalRun, runStatusChoices, type RunRow } from './runTypes';
import { t } from './useRunApi';

// Filter keys are the API's: status repeats, incidentId names one incident.
const runFilters = [
  <SelectArrayInput key="status" source="status" choices={runStatusChoices} alwaysOn sx={{ minWidth: 200 }} />,
  <ReferenceInput key="incidentId" source="incidentId" reference="incidents" sort={{ field: 'declaredAt', order: 'DESC' }} alwaysOn>
    <AutocompleteInput
      optionText={(incident: { reference?: string; title?: string }) => [incident.reference, incident.title].filter(Boolean).join(' · ')}
      filterToQuery={(q: string) => ({ q })}
      sx={{ minWidth: 280 }}
    />
  </ReferenceInput>,
];

/** Every 2 s while a run on the page is not final, so the list's states and bars stay current. */
const refetchInterval = (query: { state: { data?: unknown } }) =>
  (query.state.data as { data?: RunRow[] } | undefined)?.data?.some((run) => !isFinalRun(run.status)) ? 2000 : false;

function IncidentCell() {
  const run = useRecordContext<RunRow>();
  if (!run) return null;
  return (
    <>
      <Typography variant="body2" sx={{ fontFamily: 'monospace', fontWeight: 600, whiteSpace: 'nowrap' }}>
        {run.incidentReference}
      </Typography>
      <Typography
        variant="caption"
        color="text.secondary"
        sx={{ display: '-webkit-box', WebkitLineClamp: 1, WebkitBoxOrient: 'vertical', overflow: 'hidden', maxWidth: 260 }}
      >
        {run.incidentTitle}
      </Typography>
    </>
  );
}

function RequestedCell() {
  const run = useRecordContext<RunRow>();
  if (!run) return null;
  return (
    <>
      <DateTimeField source="requestedAt" />
      <Typography variant="caption" color="text.secondary" component="div">
        {run.requestedByEmail}
      </Typography>
    </>
  );
}

/**
 * Quick filter for incident commanders: the runs waiting for their decision
 * (`awaitingMyApproval=true`: awaiting approval and not requested by them), with how many there are.
 */
function AwaitingMyApprovalToggle() {
  const translate = useTranslate();
  const { filterValues, setFilters, displayedFilters } = useListContext();
  const { canAccess } = useCanAccess({ resource: 'runs', action: 'approve' });
  const { total } = useGetList(
    'runs',
    { filter: { awaitingMyApproval: true }, pagination: { page: 1, perPage: 1 }, sort: { field: 'requestedAt', order: 'DESC' } },
    { enabled: Boolean(canAccess), refetchInterval: 10_000 },
  );
  if (!canAccess) return null;
  const active = filterValues.awaitingMyApproval === true || filterValues.awaitingMyApproval === 'true';
  const toggle = () => {
    const { awaitingMyApproval: _, ...rest } = filterValues;
    setFilters(active ? rest : { ...rest, awaitingMyApproval: true }, displayedFilters);
  };
  return (
    <Chip
      icon={<GavelIcon />}
      label={translate(t('list.awaiting_my_approval'), { smart_count: total ?? 0, count: total ?? 0 })}
      color={active ? 'warning' : 'default'}
      variant={active ? 'filled' : 'outlined'}
      onClick={toggle}
      aria-pressed={active}
      data-testid="runs-awaiting-my-approval"
      data-active={String(active)}
      data-count={total ?? ''}
      sx={{ alignSelf: 'center' }}
    />
  );
}

/** Remediation runs across incidents, newest request first; the ones still moving refresh live. */
export default function RunList() {
  return (
    <List
      filters={runFilters}
      sort={{ field: 'requestedAt', order: 'DESC' }}
      perPage={25}
      actions={
        <TopToolbar>
          <AwaitingMyApprovalToggle />
          <FilterButton />
        </TopToolbar>
      }
      queryOptions={{ refetchInterval }}
      data-testid="runs-list"
    >
      <DataTable rowClick="show" bulkActionButtons={false} sx={{ '& td': { verticalAlign: 'top' } }}>
        {/* Sortable columns are exactly the API's `_sort` keys: number, status, requestedAt. */}
        <DataTable.Col source="number" label="resources.runs.fields.reference">
          <RunReferenceField />
        </DataTable.Col>
        <DataTable.Col source="incidentId" label="resources.runs.fields.incident" disableSort>
          <IncidentCell />
        </DataTable.Col>
        <DataTable.Col source="status">
          <RunStatusField />
        </DataTable.Col>
        <DataTable.Col source="actions" disableSort>
          <RunActionsField />
        </DataTable.Col>
        <DataTable.Col source="requestedAt">
          <RequestedCell />
        </DataTable.Col>
        <DataTable.Col source="refundTotals" disableSort align="right">
          <RefundTotalsField />
        </DataTable.Col>
        <DataTable.Col source="progress" label="resources.runs.fields.progress" disableSort>
          <StepsProgressField />
        </DataTable.Col>
      </DataTable>
    </List>
  );
}
