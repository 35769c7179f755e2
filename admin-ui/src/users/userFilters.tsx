import { NullableBooleanInput, SearchInput, SelectInput } from 'react-admin';
import { roleChoices } from './roles';

export const userFilters = [
  <SearchInput key="q" source="q" alwaysOn />,
  <SelectInput key="role" source="role" choices={roleChoices} />,
  <NullableBooleanInput key="active" source="active" />,
];
