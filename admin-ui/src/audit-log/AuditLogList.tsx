import { DataTable, List } from 'react-admin';
import { DateTimeField } from '../common/DateTimeField';
import { ListActions } from '../common/ListActions';
import { auditLogFilters } from './auditLogFilters';

export default function AuditLogList() {
  return (
    <List filters={auditLogFilters} sort={{ field: 'at', order: 'DESC' }} actions={<ListActions />} perPage={50}>
      <DataTable rowClick="show" bulkActionButtons={false}>
        <DataTable.Col source="at">
          <DateTimeField source="at" />
        </DataTable.Col>
        <DataTable.Col source="actorEmail" />
        <DataTable.Col source="action" />
        <DataTable.Col source="targetType" />
        <DataTable.Col source="targetId" />
        <DataTable.Col source="reason" disableSort />
      </DataTable>
    </List>
  );
}
