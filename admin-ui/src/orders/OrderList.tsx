import { List } from 'react-admin';
import { orderFilters } from './orderFilters';
import { OrderListActions } from './OrderListActions';
import { OrdersTable } from './OrdersTable';

export default function OrderList() {
  return (
    <List
      filters={orderFilters}
      sort={{ field: 'placedAt', order: 'DESC' }}
      perPage={25}
      actions={<OrderListActions />}
      // Always show the toolbar, even with no orders yet: it holds "Import CSV".
      empty={false}
      data-testid="orders-list"
      // Room under each filter row for the amount filters' hint/error line.
      sx={{ '& .RaList-actions form': { rowGap: 2, pb: 2 } }}
    >
      <OrdersTable />
    </List>
  );
}
