import { BooleanField, DataTable, List } from 'react-admin';
import { DateTimeField } from '../common/DateTimeField';
import { ListActions } from '../common/ListActions';
import { RolesField } from './RolesField';
import { userFilters } from './userFilters';

export default function UserList() {
  return (
    <List
      filters={userFilters}
      sort={{ field: 'createdAt', order: 'DESC' }}
      perPage={25}
      actions={<ListActions create createLabel="resources.users.actions.create" />}
    >
      <DataTable rowClick="show" bulkActionButtons={false}>
        <DataTable.Col source="email" />
        <DataTable.Col source="fullName" />
        <DataTable.Col source="roles" disableSort>
          <RolesField />
        </DataTable.Col>
        <DataTable.Col source="active" field={BooleanField} />
        <DataTable.Col source="lastLoginAt">
          <DateTimeField source="lastLoginAt" />
        </DataTable.Col>
        <DataTable.Col source="createdAt">
          <DateTimeField source="createdAt" />
        </DataTable.Col>
      </DataTable>
    </List>
  );
}
