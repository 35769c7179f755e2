import Typography from '@mui/material/Typography';
import QuarantineIcon from '@mui/icons-material/Block';
import {
  Button,
  CanAccess,
  DataTable,
  DateField,
  LinkBase,
  NumberField,
  Pagination,
  ReferenceField,
  ReferenceManyField,
  Show,
  SimpleShowLayout,
  TextField,
  TopToolbar,
  useRecordContext,
  useTranslate,
} from 'react-admin';
import { DateTimeField } from '../common/DateTimeField';
import { RelatedSection } from '../common/RelatedSection';
import { OrdersTable } from '../orders/OrdersTable';
import { ExpiresField, QuarantineStatusField, ScopeField, TargetField } from '../quarantines/QuarantineFields';
import { quarantineCreatePath } from '../quarantines/types';
import { DeviceStateField } from './DeviceStateField';

/** "Quarantine this device" (`quarantines.create`): the create form, pre-filled with this device. */
function QuarantineDeviceButton() {
  const record = useRecordContext();
  if (!record) return null;
  return (
    <CanAccess resource="quarantines" action="create">
      <Button
        component={LinkBase}
        to={quarantineCreatePath({ scope: 'device', deviceId: record.id })}
        label="resources.quarantines.actions.quarantine_device"
        data-testid="device-quarantine-button"
      >
        <QuarantineIcon />
      </Button>
    </CanAccess>
  );
}

function NoQuarantine() {
  const translate = useTranslate();
  return (
    <Typography variant="body2" color="text.secondary">
      {translate('resources.quarantines.none_for_device')}
    </Typography>
  );
}

const DeviceShowActions = () => (
  <TopToolbar>
    <QuarantineDeviceButton />
  </TopToolbar>
);

export default function DeviceShow() {
  return (
    <Show actions={<DeviceShowActions />}>
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
      <CanAccess resource="quarantines" action="list">
        {/* Its own quarantines and those of its firmware and model (the API's deviceId filter). */}
        <RelatedSection title="resources.quarantines.sections.for_device" data-testid="device-quarantines">
          <ReferenceManyField
            reference="quarantines"
            target="deviceId"
            sort={{ field: 'createdAt', order: 'DESC' }}
            perPage={5}
            pagination={<Pagination rowsPerPageOptions={[5, 10, 25]} />}
            empty={<NoQuarantine />}
          >
            <DataTable rowClick="show" bulkActionButtons={false}>
              <DataTable.Col source="scope" disableSort>
                <ScopeField />
              </DataTable.Col>
              <DataTable.Col source="target" disableSort>
                <TargetField />
              </DataTable.Col>
              <DataTable.Col source="reason" disableSort />
              <DataTable.Col source="createdAt">
                <DateTimeField source="createdAt" />
              </DataTable.Col>
              <DataTable.Col source="expiresAt" disableSort>
                <ExpiresField />
              </DataTable.Col>
              <DataTable.Col source="status" disableSort>
                <QuarantineStatusField />
              </DataTable.Col>
            </DataTable>
          </ReferenceManyField>
        </RelatedSection>
      </CanAccess>
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
