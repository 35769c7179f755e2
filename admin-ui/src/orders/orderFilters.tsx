import { DateInput, NullableBooleanInput, SelectArrayInput, TextInput, regex } from 'react-admin';
import { HintedSearchInput } from '../common/HintedSearchInput';
import { visibleFilterHelperText } from '../common/filterHelperText';
import { AmountFilterInput } from './AmountFilterInput';
import { fulfilmentStateChoices } from './fulfilmentStates';

const upperCase = (value: string | null) => (value ? value.toUpperCase() : value);

// The API rejects a customerId that is not a uuid; catching it here keeps the list usable.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// Filter keys are the API's query keys (admin-ui/README.md, orders). Amounts
// are typed in major units of the chosen currency and sent as minor units.
// placedFrom/placedTo are calendar days (YYYY-MM-DD), both inclusive.
export const orderFilters = [
  <HintedSearchInput key="q" source="q" alwaysOn placeholder="resources.orders.helpers.search" sx={{ minWidth: 280 }} />,
  <SelectArrayInput key="fulfilmentState" source="fulfilmentState" choices={fulfilmentStateChoices} alwaysOn sx={{ minWidth: 200 }} />,
  <TextInput
    key="currency"
    source="currency"
    parse={upperCase}
    validate={regex(/^[A-Za-z]{3}$/, 'resources.orders.helpers.currency_code')}
    slotProps={{ htmlInput: { maxLength: 3 } }}
    sx={{ width: 110, ...visibleFilterHelperText }}
  />,
  <AmountFilterInput key="totalMin" source="totalMin" />,
  <AmountFilterInput key="totalMax" source="totalMax" />,
  <DateInput key="placedFrom" source="placedFrom" />,
  <DateInput key="placedTo" source="placedTo" />,
  <NullableBooleanInput key="held" source="held" />,
  <TextInput key="model" source="model" />,
  <TextInput key="firmware" source="firmware" />,
  <TextInput key="sku" source="sku" />,
  <TextInput key="deviceId" source="deviceId" />,
  <TextInput
    key="customerId"
    source="customerId"
    validate={regex(UUID, 'resources.orders.helpers.customer_id')}
    sx={{ width: 330, ...visibleFilterHelperText }}
  />,
];
