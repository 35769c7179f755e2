import type { ReactNode } from 'react';
import Box from '@mui/material/Box';
import Divider from '@mui/material/Divider';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import {
  ArrayField,
  BooleanField,
  DataTable,
  NumberField,
  ReferenceField,
  Show,
  SimpleShowLayout,
  TextField,
  useLocaleState,
  useRecordContext,
  useTranslate,
} from 'react-admin';
import { DateTimeField } from '../common/DateTimeField';
import { MoneyField } from '../common/MoneyField';
import { formatMoney } from '../common/money';
import { AddressField } from './AddressField';
import { FulfilmentStateField } from './FulfilmentStateField';
import { HeldField } from './HeldField';

const mono = { fontFamily: 'monospace' };

/** A titled group of labelled fields; `plain` renders the children as-is (no labels). */
function Section({ title, plain = false, children }: { title: string; plain?: boolean; children: ReactNode }) {
  const translate = useTranslate();
  return (
    <Box component="section">
      <Typography variant="subtitle1" component="h2" sx={{ fontWeight: 600, mb: plain ? 1 : 0 }}>
        {translate(title)}
      </Typography>
      {plain ? children : <SimpleShowLayout sx={{ px: 0, pt: 0.5 }}>{children}</SimpleShowLayout>}
    </Box>
  );
}

function OrderHeader() {
  const record = useRecordContext();
  const [locale] = useLocaleState();
  if (!record) return null;
  return (
    <Stack direction="row" spacing={2} useFlexGap sx={{ alignItems: 'center', flexWrap: 'wrap', mb: 2 }}>
      <Typography variant="h5" component="h1" sx={mono} data-testid="order-external-id">
        {record.externalId}
      </Typography>
      <FulfilmentStateField />
      <HeldField />
      <Box sx={{ flexGrow: 1 }} />
      <Typography variant="h5" component="p" sx={{ fontVariantNumeric: 'tabular-nums' }} data-testid="order-total">
        {formatMoney(record.totalMinor, record.currency, locale)}
      </Typography>
    </Stack>
  );
}

/** The lines' money is in the order's currency, which lives on the order, not on each line. */
function OrderLines() {
  const record = useRecordContext();
  const currency = record?.currency;
  return (
    <ArrayField source="lines">
      <DataTable bulkActionButtons={false} rowClick={false} data-testid="order-lines">
        <DataTable.Col source="lineNo" label="resources.orders.fields.lineNo" />
        <DataTable.Col source="sku" label="resources.orders.fields.sku" />
        <DataTable.Col source="quantity" label="resources.orders.fields.quantity" align="right">
          <NumberField source="quantity" />
        </DataTable.Col>
        <DataTable.Col source="unitPriceMinor" label="resources.orders.fields.unitPriceMinor" align="right">
          <MoneyField source="unitPriceMinor" currency={currency} />
        </DataTable.Col>
        <DataTable.Col source="unitCostMinor" label="resources.orders.fields.unitCostMinor" align="right">
          <MoneyField source="unitCostMinor" currency={currency} />
        </DataTable.Col>
        <DataTable.Col source="totalMinor" label="resources.orders.fields.lineTotalMinor" align="right">
          <MoneyField source="totalMinor" currency={currency} />
        </DataTable.Col>
      </DataTable>
    </ArrayField>
  );
}

function OrderShowLayout() {
  const record = useRecordContext();
  if (!record) return null;
  return (
    <Box sx={{ p: 2 }} data-testid="order-show">
      <OrderHeader />
      <Box sx={{ display: 'grid', gap: 3, gridTemplateColumns: { xs: '1fr', md: '2fr 1fr' }, alignItems: 'start' }}>
        <Stack spacing={3}>
          <Section title="resources.orders.sections.lines" plain>
            <OrderLines />
          </Section>
          <Section title="resources.orders.sections.amounts">
            <MoneyField source="subtotalMinor" />
            <MoneyField source="shippingChargedMinor" />
            <MoneyField source="totalMinor" />
            <MoneyField source="shippingLabelCostMinor" emptyText="—" />
            <MoneyField source="costOfGoodsMinor" emptyText="—" />
          </Section>
          <Section title="resources.orders.sections.payment">
            <TextField source="paymentReference" emptyText="—" sx={mono} />
          </Section>
          <Section title="resources.orders.sections.device">
            <ReferenceField source="deviceId" reference="devices" label="resources.orders.fields.device" link="show" emptyText="—" />
            <TextField source="deviceModel" emptyText="—" />
            <TextField source="firmwareVersion" emptyText="—" />
          </Section>
          <Section title="resources.orders.sections.customer">
            <ReferenceField source="customerId" reference="customers" label="resources.orders.fields.customer" link="show" emptyText="—" />
            <TextField source="customerName" emptyText="—" />
            <TextField source="customerEmail" emptyText="—" />
          </Section>
        </Stack>
        <Stack spacing={3} divider={<Divider flexItem />}>
          <Section title="resources.orders.sections.hold">
            <BooleanField source="held" />
            <TextField source="holdReason" emptyText="—" />
          </Section>
          <Section title="resources.orders.sections.fulfilment">
            <FulfilmentStateField source="fulfilmentState" />
            <TextField source="carrier" emptyText="—" />
            <TextField source="trackingNumber" emptyText="—" sx={mono} />
            <AddressField source="shipTo" />
          </Section>
          <Section title="resources.orders.sections.record">
            <TextField source="source" />
            <DateTimeField source="placedAt" />
            <DateTimeField source="createdAt" />
            <DateTimeField source="updatedAt" />
            <TextField source="shipToHash" emptyText="—" sx={mono} />
          </Section>
        </Stack>
      </Box>
    </Box>
  );
}

export default function OrderShow() {
  // Read-only: orders come from the shops (or a CSV import), never from this form.
  return (
    <Show actions={false}>
      <OrderShowLayout />
    </Show>
  );
}
