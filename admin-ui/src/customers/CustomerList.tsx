import { DataTable, List, NumberField } from 'react-admin';
import { DateTimeField } from '../common/DateTimeField';
import { ListActions } from '../common/ListActions';
import { customerFilters } from './customerFilters';

export default function CustomerList() {
  // Sortable columns are exactly the API's `_sort` keys (email, name, externalId, createdAt); counts are per page.
  return (
    <List filters={customerFilters} sort={{ field: 'createdAt', order: 'DESC' }} perPage={25} actions={<ListActions />}>
      <DataTable rowClick="show" bulkActionButtons={false}>
        <DataTable.Col source="email" />
        <DataTable.Col source="name" />
        <DataTable.Col source="externalId" />
        <DataTable.Col source="deviceCount" align="right" disableSort>
          <NumberField source="deviceCount" />
        </DataTable.Col>
        <DataTable.Col source="orderCount" align="right" disableSort>
          <NumberField source="orderCount" />
        </DataTable.Col>
        <DataTable.Col source="createdAt">
          <DateTimeField source="createdAt" />
        </DataTable.Col>
      </DataTable>
    </List>
  );
}
