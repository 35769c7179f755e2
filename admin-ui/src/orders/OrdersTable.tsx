import { DataTable } from 'react-admin';
import { DateTimeField } from '../common/DateTimeField';
import { MoneyField } from '../common/MoneyField';
import { FulfilmentStateField } from './FulfilmentStateField';
import { HeldField } from './HeldField';
import { OrderCustomerField, OrderDeviceField } from './OrderFields';

interface OrdersTableProps {
  /** Hide the customer column (e.g. on a customer's own page). */
  showCustomer?: boolean;
  /** Hide the device column (e.g. on a device's own page). */
  showDevice?: boolean;
}

/**
 * Orders as rows: used by the orders list and by the order lists embedded in
 * device and customer pages. Sortable columns are exactly the API's `_sort`
 * keys (placedAt, externalId, fulfilmentState, currency, totalMinor).
 */
export function OrdersTable({ showCustomer = true, showDevice = true }: OrdersTableProps) {
  return (
    <DataTable rowClick="show" bulkActionButtons={false}>
      <DataTable.Col source="placedAt">
        <DateTimeField source="placedAt" />
      </DataTable.Col>
      <DataTable.Col source="externalId" />
      {showCustomer && (
        <DataTable.Col source="customerName" label="resources.orders.fields.customer" disableSort>
          <OrderCustomerField />
        </DataTable.Col>
      )}
      {showDevice && (
        <DataTable.Col source="deviceId" label="resources.orders.fields.device" disableSort>
          <OrderDeviceField />
        </DataTable.Col>
      )}
      <DataTable.Col source="fulfilmentState">
        <FulfilmentStateField />
      </DataTable.Col>
      <DataTable.Col source="currency" />
      <DataTable.Col source="totalMinor" align="right">
        <MoneyField source="totalMinor" />
      </DataTable.Col>
      <DataTable.Col source="held" disableSort>
        <HeldField />
      </DataTable.Col>
    </DataTable>
  );
}
