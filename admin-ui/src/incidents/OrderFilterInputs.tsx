import { cloneElement, useEffect, useState } from 'react';
import Box from '@mui/material/Box';
import { FormDataConsumer, NullableBooleanInput, ResourceContextProvider } from 'react-admin';
import { orderFilters } from '../orders/orderFilters';
import { cleanOrderFilter, filterKey, type OrderFilter } from './orderFilter';

/**
 * The orders list's own filter inputs (same keys, same amount handling in
 * major units of the chosen currency), laid out as a form grid, plus "not in
 * any open incident". Labels come from the orders resource, as on its list.
 * Must be rendered inside a react-admin <Form>.
 */
export function OrderFilterInputs() {
  return (
    <ResourceContextProvider value="orders">
      <Box
        data-testid="order-filter-inputs"
        sx={{
          display: 'grid',
          gridTemplateColumns: { xs: '1fr', sm: '1fr 1fr', md: 'repeat(3, minmax(0, 1fr))' },
          columnGap: 2,
          // Room for the hints and errors that float under the amount, currency and id inputs.
          rowGap: 3.5,
          alignItems: 'start',
          '& .MuiFormControl-root, & .MuiTextField-root': { width: '100%', minWidth: 0, m: 0 },
        }}
      >
        {/* As in the list's filter bar: no reserved helper line, errors and amount hints float under the field. */}
        {orderFilters.map((input) => cloneElement(input, { size: 'small', helperText: false } as Record<string, unknown>))}
        <NullableBooleanInput source="inNoIncident" label="resources.incidents.fields.inNoIncident" size="small" helperText={false} />
      </Box>
    </ResourceContextProvider>
  );
}

/** Reports the form's order filter (empty inputs left out) whenever it changes. */
export function OrderFilterWatcher({ onChange }: { onChange: (filter: OrderFilter) => void }) {
  return <FormDataConsumer>{({ formData }) => <Emit filter={cleanOrderFilter(formData)} onChange={onChange} />}</FormDataConsumer>;
}

function Emit({ filter, onChange }: { filter: OrderFilter; onChange: (filter: OrderFilter) => void }) {
  const key = filterKey(filter);
  useEffect(() => onChange(filter), [key]);
  return null;
}

/** `value`, once it has stopped changing for `ms`: one count request per pause in typing, not per key. */
export function useDebounced<T>(value: T, key: string, ms = 350): { value: T; key: string } {
  const [settled, setSettled] = useState({ value, key });
  useEffect(() => {
    if (key === settled.key) return;
    const timer = setTimeout(() => setSettled({ value, key }), ms);
    return () => clearTimeout(timer);
  }, [key]);
  return settled;
}
