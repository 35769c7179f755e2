import { useState } from 'react';
import Box from '@mui/material/Box';
import Tooltip from '@mui/material/Tooltip';
import MuiButton from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import Typography from '@mui/material/Typography';
import FilterAltIcon from '@mui/icons-material/FilterAlt';
import { DataTable, DateField, ListBase, Pagination, TextField, useCanAccess, useRecordContext, useTranslate } from 'react-admin';
import { DateTimeField } from '../common/DateTimeField';
import { SelectionScopeToolbar } from '../common/SelectionScopeToolbar';
import { MoneyField } from '../common/MoneyField';
import { FulfilmentStateField } from '../orders/FulfilmentStateField';
import { OrderDeviceField } from '../orders/OrderFields';
import { MembershipStatusField } from './IncidentFields';
import { MEMBERSHIP_STATUSES, isClosed, type MembershipStatus, type Incident } from './incidentTypes';
import { MembersByFilterDialog } from './MembersByFilterDialog';
import { MembershipBulkActions } from './MembershipBulkActions';

/** "Select all N matching" fetches the ids as one page; the API's page size ends at 500 (backend/src/http/list-query.ts). */
const SELECT_ALL_LIMIT = 500;

const label = (field: string) => `resources.incidents.member_fields.${field}`;

const compactDate = { year: 'numeric', month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit' } as const;

/** When the membership last changed; who changed it and the exact time on hover. */
function ChangedField() {
  const record = useRecordContext();
  if (!record) return null;
  return (
    <Tooltip
      title={
        <>
          <DateTimeField source="changedAt" sx={{ color: 'inherit' }} />
          {record.changedByEmail && <div>{record.changedByEmail}</div>}
        </>
      }
    >
      <Box component="span">
        <DateField source="changedAt" showTime options={compactDate} />
      </Box>
    </Tooltip>
  );
}

/** The membership state with the reason it was given, shortened (in full on hover). */
function MembershipField() {
  const record = useRecordContext();
  if (!record) return null;
  return (
    <Box sx={{ maxWidth: 220 }}>
      <MembershipStatusField />
      {record.reason && (
        <Tooltip title={record.reason}>
          <Typography
            component="div"
            variant="caption"
            color="text.secondary"
            sx={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap', mt: 0.25 }}
            data-testid="incident-member-reason"
          >
            {record.reason}
          </Typography>
        </Tooltip>
      )}
    </Box>
  );
}

/**
 * The incident's orders (`GET /api/incidents/:id/orders`), filterable by
 * membership state and sortable by the API's keys; rows open the order.
 * Selecting rows offers suspect / confirm / exclude; "All orders matching a
 * filter" acts on a whole filter after showing its exact count.
 */
export function MembersTab({
  state,
  onStateChange,
}: {
  state: MembershipStatus | undefined;
  onStateChange: (state: MembershipStatus | undefined) => void;
}) {
  const incident = useRecordContext<Incident>();
  const translate = useTranslate();
  const { canAccess: canChange } = useCanAccess({ resource: 'incidents', action: 'members' });
  const [byFilter, setByFilter] = useState(false);
  if (!incident) return null;
  const editable = Boolean(canChange) && !isClosed(incident);
  const total = incident.members ? MEMBERSHIP_STATUSES.reduce((sum, s) => sum + (incident.members[s] ?? 0), 0) : undefined;

  return (
    <Box data-testid="incident-members">
      <Stack
        direction={{ xs: 'column', sm: 'row' }}
        spacing={2}
        sx={{ justifyContent: 'space-between', alignItems: { sm: 'center' }, mb: 1 }}
      >
        <ToggleButtonGroup
          exclusive
          size="small"
          value={state ?? 'all'}
          onChange={(_, value: MembershipStatus | 'all' | null) => value && onStateChange(value === 'all' ? undefined : value)}
          aria-label={translate('resources.incidents.members.state_filter')}
        >
          <ToggleButton value="all" data-testid="incident-members-filter-all" sx={{ px: 1.5 }}>
            {translate('resources.incidents.members.all', { count: total ?? '…' })}
          </ToggleButton>
          {MEMBERSHIP_STATUSES.map((s) => (
            <ToggleButton key={s} value={s} data-testid={`incident-members-filter-${s}`} sx={{ px: 1.5 }}>
              {translate(`resources.incidents.members.state_count.${s}`, { count: incident.members?.[s] ?? 0 })}
            </ToggleButton>
          ))}
        </ToggleButtonGroup>
        {editable && (
          <MuiButton
            variant="outlined"
            size="small"
            startIcon={<FilterAltIcon />}
            onClick={() => setByFilter(true)}
            data-testid="incident-members-by-filter"
          >
            {translate('resources.incidents.actions.members_by_filter')}
          </MuiButton>
        )}
      </Stack>
      <ListBase
        resource={`incidents/${incident.id}/orders`}
        filter={state ? { status: state } : undefined}
        sort={{ field: 'changedAt', order: 'DESC' }}
        perPage={25}
        disableSyncWithLocation
        storeKey={false}
        // The incident page already required incidents.show; this is one of its parts, not a resource of its own.
        disableAuthentication
      >
        <DataTable
          rowClick={(id) => `/orders/${encodeURIComponent(String(id))}/show`}
          bulkActionButtons={editable ? <MembershipBulkActions incident={incident} /> : false}
          // Says whether a change applies to this page's selection or to every order in the view, and offers "select all N".
          bulkActionsToolbar={
            editable ? (
              <SelectionScopeToolbar limit={SELECT_ALL_LIMIT} tooManyHint="resources.incidents.members.select_all_too_many">
                <MembershipBulkActions incident={incident} />
              </SelectionScopeToolbar>
            ) : undefined
          }
          data-testid="incident-members-table"
          // One line per order: ids, devices and dates do not wrap.
          sx={{
            // Scroll the table, not the page; the bulk toolbar sits above it and must stay visible.
            '& .RaDataTable-tableWrapper': { overflowX: 'auto' },
            '& .MuiTableCell-root': { px: 1 },
            '& td.column-externalId, & td.column-placedAt, & td.column-deviceId, & td.column-changedAt, & td.column-deviceId .MuiTypography-root':
              { whiteSpace: 'nowrap' },
          }}
        >
          <DataTable.Col source="externalId" label={label('externalId')} disableSort>
            <TextField source="externalId" sx={{ fontFamily: 'monospace' }} />
          </DataTable.Col>
          <DataTable.Col source="status" label={label('status')}>
            <MembershipField />
          </DataTable.Col>
          <DataTable.Col source="placedAt" label={label('placedAt')}>
            <DateField source="placedAt" showTime options={compactDate} />
          </DataTable.Col>
          <DataTable.Col source="deviceId" label={label('device')} disableSort>
            <OrderDeviceField />
          </DataTable.Col>
          <DataTable.Col source="fulfilmentState" label={label('fulfilmentState')} disableSort>
            <FulfilmentStateField />
          </DataTable.Col>
          <DataTable.Col source="totalMinor" label={label('totalMinor')} align="right">
            <MoneyField source="totalMinor" />
          </DataTable.Col>
          <DataTable.Col source="changedAt" label={label('changedAt')}>
            <ChangedField />
          </DataTable.Col>
        </DataTable>
        <Pagination rowsPerPageOptions={[25, 50, 100]} />
      </ListBase>
      <MembersByFilterDialog incident={incident} open={byFilter} onClose={() => setByFilter(false)} />
    </Box>
  );
}
