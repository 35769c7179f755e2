import { CanAccess, NumberField, Pagination, ReferenceManyField, Show, SimpleShowLayout, TextField } from 'react-admin';
import { DateTimeField } from '../common/DateTimeField';
import { RelatedSection } from '../common/RelatedSection';
import { DevicesTable } from '../devices/DevicesTable';
import { OrdersTable } from '../orders/OrdersTable';

export default function CustomerShow() {
  return (
    <Show actions={false}>
      <SimpleShowLayout>
        <TextField source="email" />
        <TextField source="name" emptyText="—" />
        <TextField source="externalId" emptyText="—" />
        <NumberField source="deviceCount" />
        <NumberField source="orderCount" />
        <DateTimeField source="createdAt" />
      </SimpleShowLayout>
      <CanAccess resource="devices" action="list">
        <RelatedSection title="resources.customers.sections.devices" data-testid="customer-devices">
          <ReferenceManyField
            reference="devices"
            target="customerId"
            sort={{ field: 'id', order: 'ASC' }}
            perPage={10}
            pagination={<Pagination rowsPerPageOptions={[10, 25, 50]} />}
          >
            <DevicesTable showCustomer={false} />
          </ReferenceManyField>
        </RelatedSection>
      </CanAccess>
      <CanAccess resource="orders" action="list">
        <RelatedSection title="resources.customers.sections.orders" data-testid="customer-orders">
          <ReferenceManyField
            reference="orders"
            target="customerId"
            sort={{ field: 'placedAt', order: 'DESC' }}
            perPage={10}
            pagination={<Pagination rowsPerPageOptions={[10, 25, 50]} />}
          >
            <OrdersTable showCustomer={false} />
          </ReferenceManyField>
        </RelatedSection>
      </CanAccess>
    </Show>
  );
}
