import { HintedSearchInput } from '../common/HintedSearchInput';

export const customerFilters = [<HintedSearchInput key="q" source="q" alwaysOn placeholder="resources.customers.helpers.search" />];
