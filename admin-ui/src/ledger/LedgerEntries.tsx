import type { MouseEvent } from 'react';
import Box from '@mui/material/Box';
import Link from '@mui/material/Link';
import MenuItem from '@mui/material/MenuItem';
import MuiButton from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { DataTable, LinkBase, ListBase, Pagination, useListContext, useRecordContext, useTranslate } from 'react-admin';
import { DateTimeField } from '../common/DateTimeField';
import { MoneyField } from '../common/MoneyField';
import { LEDGER_CATEGORIES, LEDGER_SOURCE_TYPES, l, type LedgerEntry } from './ledgerTypes';

const ALL = '';

/** One server-side filter as a select: "All" leaves it out of the query. */
function FilterSelect({ source, options, label }: { source: string; options: { value: string; label: string }[]; label: string }) {
  const translate = useTranslate();
  const { filterValues, setFilters } = useListContext();
  const value = (filterValues[source] as string | undefined) ?? ALL;
  return (
    <TextField
      select
      size="small"
      // react-admin's theme makes inputs full width; filters sit side by side.
      fullWidth={false}
      label={label}
      value={value}
      onChange={(event) => {
        const { [source]: _dropped, ...rest } = filterValues;
        setFilters(event.target.value === ALL ? rest : { ...rest, [source]: event.target.value });
      }}
      sx={{ minWidth: 180 }}
      slotProps={{ select: { SelectDisplayProps: { 'data-testid': `ledger-entries-filter-${source}` } as object } }}
    >
      <MenuItem value={ALL}>{translate(l('entries.all'))}</MenuItem>
      {options.map((option) => (
        <MenuItem key={option.value} value={option.value}>
          {option.label}
        </MenuItem>
      ))}
    </TextField>
  );
}

function Filters({ currencies }: { currencies: string[] }) {
  const translate = useTranslate();
  const { filterValues, setFilters } = useListContext();
  return (
    <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1.5} useFlexGap sx={{ mb: 1, flexWrap: 'wrap', alignItems: { sm: 'center' } }}>
      <FilterSelect
        source="category"
        label={translate(l('fields.category'))}
        options={LEDGER_CATEGORIES.map((c) => ({ value: c, label: translate(l(`categories.${c}`)) }))}
      />
      <FilterSelect source="currency" label={translate(l('fields.currency'))} options={currencies.map((c) => ({ value: c, label: c }))} />
      <FilterSelect
        source="sourceType"
        label={translate(l('fields.sourceType'))}
        options={LEDGER_SOURCE_TYPES.map((s) => ({ value: s, label: translate(l(`source_types.${s}`)) }))}
      />
      {Object.keys(filterValues).length > 0 && (
        <MuiButton size="small" onClick={() => setFilters({})}>
          {translate(l('entries.clear'))}
        </MuiButton>
      )}
    </Stack>
  );
}

function OrderField() {
  const entry = useRecordContext<LedgerEntry>();
  if (!entry) return null;
  return (
    <Link
      component={LinkBase}
      to={`/orders/${encodeURIComponent(entry.orderId)}/show`}
      onClick={(event: MouseEvent) => event.stopPropagation()}
      sx={{ fontFamily: 'monospace', whiteSpace: 'nowrap' }}
    >
      {entry.orderExternalId}
    </Link>
  );
}

function CategoryField() {
  const entry = useRecordContext<LedgerEntry>();
  const translate = useTranslate();
  if (!entry) return null;
  return <Typography variant="body2">{translate(l(`categories.${entry.category}`), { _: entry.category })}</Typography>;
}

function SourceField() {
  const entry = useRecordContext<LedgerEntry>();
  const translate = useTranslate();
  if (!entry) return null;
  return (
    <Box>
      <Typography variant="body2">{translate(l(`source_types.${entry.sourceType}`), { _: entry.sourceType })}</Typography>
      {entry.providerRef && (
        <Typography variant="caption" color="text.secondary" sx={{ fontFamily: 'monospace' }}>
          {entry.providerRef}
        </Typography>
      )}
    </Box>
  );
}

function Empty() {
  const translate = useTranslate();
  return (
    <Typography variant="body2" color="text.secondary" sx={{ py: 2 }} data-testid="ledger-entries-empty">
      {translate(l('entries.empty'))}
    </Typography>
  );
}

/**
 * The incident's ledger entries (`GET /api/incidents/:id/ledger`): filtered by
 * category, currency and source, sorted and paged by the server like every list.
 */
export function LedgerEntries({ incidentId, currencies }: { incidentId: string; currencies: string[] }) {
  const translate = useTranslate();
  return (
    <ListBase
      resource={`incidents/${incidentId}/ledger`}
      sort={{ field: 'occurredAt', order: 'DESC' }}
      perPage={25}
      disableSyncWithLocation
      storeKey={false}
      // The incident page already required incidents.show, and the tab ledger.show; this is one of its parts.
      disableAuthentication
    >
      <Filters currencies={currencies} />
      <DataTable
        rowClick={false}
        bulkActionButtons={false}
        empty={<Empty />}
        data-testid="ledger-entries-table"
        sx={{
          '& .RaDataTable-tableWrapper': { overflowX: 'auto' },
          '& td': { verticalAlign: 'top' },
          '& td.column-occurredAt, & td.column-recordedAt': { whiteSpace: 'nowrap' },
        }}
      >
        <DataTable.Col source="occurredAt" label={translate(l('fields.occurredAt'))}>
          <DateTimeField source="occurredAt" />
        </DataTable.Col>
        <DataTable.Col source="category" label={translate(l('fields.category'))}>
          <CategoryField />
        </DataTable.Col>
        <DataTable.Col source="orderExternalId" label={translate(l('fields.order'))} disableSort>
          <OrderField />
        </DataTable.Col>
        <DataTable.Col source="sourceType" label={translate(l('fields.sourceType'))} disableSort>
          <SourceField />
        </DataTable.Col>
        <DataTable.Col source="amountMinor" label={translate(l('fields.amountMinor'))} align="right">
          <MoneyField source="amountMinor" />
        </DataTable.Col>
        <DataTable.Col source="recordedAt" label={translate(l('fields.recordedAt'))}>
          <DateTimeField source="recordedAt" />
        </DataTable.Col>
      </DataTable>
      <Pagination rowsPerPageOptions={[25, 50, 100]} />
    </ListBase>
  );
}
