import { DataTable, List, TextField } from 'react-admin';
import { DateTimeField } from '../common/DateTimeField';
import { ListActions } from '../common/ListActions';
import { incidentFilters } from './incidentFilters';
import {
  IncidentReferenceField,
  IncidentSeverityField,
  IncidentStatusField,
  IncidentValueField,
  MemberCountsField,
} from './IncidentFields';

/** Open incidents first is the usual question, so the default view is every incident, newest declared first. */
export default function IncidentList() {
  return (
    <List
      filters={incidentFilters}
      sort={{ field: 'declaredAt', order: 'DESC' }}
      perPage={25}
      actions={<ListActions create createLabel="resources.incidents.actions.declare" />}
      data-testid="incidents-list"
    >
      <DataTable rowClick="show" bulkActionButtons={false}>
        {/* Sortable columns are exactly the API's `_sort` keys: number, status, severity, declaredAt. */}
        <DataTable.Col source="number" label="resources.incidents.fields.reference">
          <IncidentReferenceField />
        </DataTable.Col>
        <DataTable.Col source="status">
          <IncidentStatusField />
        </DataTable.Col>
        <DataTable.Col source="severity">
          <IncidentSeverityField />
        </DataTable.Col>
        <DataTable.Col source="title" disableSort>
          <TextField source="title" sx={{ fontWeight: 500 }} />
        </DataTable.Col>
        <DataTable.Col source="commanderEmail" disableSort>
          <TextField source="commanderEmail" emptyText="—" />
        </DataTable.Col>
        <DataTable.Col source="declaredAt">
          <DateTimeField source="declaredAt" />
        </DataTable.Col>
        <DataTable.Col source="members" label="resources.incidents.fields.orders" disableSort>
          <MemberCountsField />
        </DataTable.Col>
        <DataTable.Col source="value" label="resources.incidents.fields.value" disableSort align="right">
          <IncidentValueField />
        </DataTable.Col>
      </DataTable>
    </List>
  );
}
