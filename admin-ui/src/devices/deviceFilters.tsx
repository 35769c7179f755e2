import { SelectInput, TextInput } from 'react-admin';
import { HintedSearchInput } from '../common/HintedSearchInput';
import { deviceStateChoices } from './deviceStates';

export const deviceFilters = [
  <HintedSearchInput key="q" source="q" alwaysOn placeholder="resources.devices.helpers.search" />,
  <SelectInput key="state" source="state" choices={deviceStateChoices} alwaysOn />,
  <TextInput key="model" source="model" />,
  <TextInput key="firmware" source="firmware" />,
  <TextInput key="customerId" source="customerId" />,
];
