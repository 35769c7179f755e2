import { DataTable, NumberField } from 'react-admin';
import { DateTimeField } from '../common/DateTimeField';
import { DeviceStateField } from './DeviceStateField';

/**
 * Devices as rows: the devices list and a customer's devices. Sortable columns
 * are exactly the API's `_sort` keys (id, model, firmwareVersion, state). Order figures are computed
 * per page, so they cannot order the whole fleet.
 */
export function DevicesTable({ showCustomer = true }: { showCustomer?: boolean }) {
  return (
    <DataTable rowClick="show" bulkActionButtons={false}>
      <DataTable.Col source="id" sx={{ fontFamily: 'monospace' }} />
      <DataTable.Col source="model" />
      <DataTable.Col source="firmwareVersion" />
      {showCustomer && <DataTable.Col source="customerEmail" disableSort />}
      <DataTable.Col source="state">
        <DeviceStateField />
      </DataTable.Col>
      <DataTable.Col source="orderCount" align="right" disableSort>
        <NumberField source="orderCount" />
      </DataTable.Col>
      <DataTable.Col source="lastOrderAt" disableSort>
        <DateTimeField source="lastOrderAt" emptyText="—" />
      </DataTable.Col>
    </DataTable>
  );
}
