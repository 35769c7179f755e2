import { DataTable, List, SelectInput, TextField, TextInput } from 'react-admin';
import { DateTimeField } from '../common/DateTimeField';
import { ListActions } from '../common/ListActions';
import { ExpiresField, ScopeField, StatusWithDetailField, TargetField } from './QuarantineFields';
import { ReleaseQuarantineButton } from './ReleaseQuarantineButton';
import { activeChoices, scopeChoices } from './types';

const quarantineFilters = [
  <SelectInput key="active" source="active" choices={activeChoices} alwaysOn />,
  <SelectInput key="scope" source="scope" choices={scopeChoices} alwaysOn />,
  <TextInput key="deviceId" source="deviceId" helperText={false} />,
  <TextInput key="model" source="model" helperText={false} />,
];

/** Device, firmware and model quarantines; the ones still in force first by default. */
export default function QuarantinesList() {
  return (
    <List
      filters={quarantineFilters}
      filterDefaultValues={{ active: 'true' }}
      sort={{ field: 'createdAt', order: 'DESC' }}
      perPage={25}
      actions={<ListActions create createLabel="resources.quarantines.actions.create" />}
      empty={false}
      data-testid="quarantines-list"
    >
      <DataTable rowClick="show" bulkActionButtons={false} sx={{ '& td': { verticalAlign: 'top' } }}>
        <DataTable.Col source="scope" disableSort>
          <ScopeField />
        </DataTable.Col>
        <DataTable.Col source="target" disableSort>
          <TargetField />
        </DataTable.Col>
        <DataTable.Col source="reason" disableSort>
          <TextField
            source="reason"
            sx={{ display: '-webkit-box', WebkitLineClamp: 2, WebkitBoxOrient: 'vertical', overflow: 'hidden', maxWidth: 360 }}
          />
        </DataTable.Col>
        <DataTable.Col source="createdAt">
          <DateTimeField source="createdAt" />
          <TextField source="createdByEmail" variant="caption" color="text.secondary" sx={{ display: 'block' }} emptyText="—" />
        </DataTable.Col>
        <DataTable.Col source="expiresAt" disableSort>
          <ExpiresField />
        </DataTable.Col>
        <DataTable.Col source="status" disableSort>
          <StatusWithDetailField />
        </DataTable.Col>
        <DataTable.Col source="actions" label="" disableSort align="right">
          <ReleaseQuarantineButton />
        </DataTable.Col>
      </DataTable>
    </List>
  );
}
