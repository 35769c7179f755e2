import { BooleanField, DataTable, List, TextField, useCanAccess } from 'react-admin';
import { DateTimeField } from '../common/DateTimeField';
import { ThresholdsField } from './ThresholdsField';

/**
 * The rules detection runs, with their switch and thresholds. The server
 * answers all of them in one page, in a fixed order; admins open one to tune it.
 */
export default function DetectionRulesList() {
  const { canAccess: canEdit } = useCanAccess({ resource: 'detection-rules', action: 'edit' });
  return (
    <List pagination={false} perPage={100} actions={false} data-testid="detection-rules-list">
      <DataTable rowClick={canEdit ? 'edit' : false} bulkActionButtons={false} sx={{ '& td': { verticalAlign: 'top' } }}>
        <DataTable.Col source="title" disableSort>
          <TextField source="title" sx={{ display: 'block', fontWeight: 500 }} />
          <TextField source="description" variant="caption" color="text.secondary" sx={{ display: 'block', maxWidth: 520, mt: 0.5 }} />
        </DataTable.Col>
        <DataTable.Col source="enabled" disableSort>
          <BooleanField source="enabled" />
        </DataTable.Col>
        <DataTable.Col source="thresholds" disableSort>
          <ThresholdsField />
        </DataTable.Col>
        <DataTable.Col source="updatedAt" disableSort>
          <DateTimeField source="updatedAt" />
        </DataTable.Col>
      </DataTable>
    </List>
  );
}
