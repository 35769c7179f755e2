import {
  CanAccess,
  DateField,
  NumberField,
  Pagination,
  ReferenceField,
  ReferenceManyField,
  Show,
  SimpleShowLayout,
  TextField,
} from 'react-admin';
import { DateTimeField } from '../common/DateTimeField';
import { RelatedSection } from '../common/RelatedSection';
import { OrdersTable } from '../orders/OrdersTable';
import { DeviceStateField } from './DeviceStateField';

export default function DeviceShow() {
  // Read-only here: quarantine/watch actions belong to the incidents work.
  return (
    <Show actions={false}>
      <SimpleShowLayout>
        <TextField source="id" sx={{ fontFamily: 'monospace' }} />
        <TextField source="model" />
        <TextField source="firmwareVersion" />
        <DeviceStateField source="state" />
        <ReferenceField source="customerId" reference="customers" link="show" emptyText="—" />
        <TextField source="customerEmail" emptyText="—" />
        <NumberField source="orderCount" />
        <DateTimeField source="lastOrderAt" emptyText="—" />
        <DateField source="createdAt" showTime />
      </SimpleShowLayout>
      <CanAccess resource="orders" action="list">
        <RelatedSection title="resources.devices.sections.orders" data-testid="device-orders">
          <ReferenceManyField
            reference="orders"
            target="deviceId"
            sort={{ field: 'placedAt', order: 'DESC' }}
            perPage={10}
            pagination={<Pagination rowsPerPageOptions={[10, 25, 50]} />}
          >
            <OrdersTable showDevice={false} />
          </ReferenceManyField>
        </RelatedSection>
      </CanAccess>
    </Show>
  );
}
