import FormControlLabel from '@mui/material/FormControlLabel';
import Switch from '@mui/material/Switch';
import { SelectArrayInput, useGetIdentity, useInput, useTranslate } from 'react-admin';
import { HintedSearchInput } from '../common/HintedSearchInput';
import { severityChoices, statusChoices } from './incidentTypes';

/** "Commanded by me": sets the `commanderId` filter to the signed-in user's id. */
function CommandedByMeInput({ source }: { source: string; alwaysOn?: boolean }) {
  const translate = useTranslate();
  const { identity } = useGetIdentity();
  const { field } = useInput({ source });
  return (
    <FormControlLabel
      sx={{ ml: 1, mb: 0.5, alignSelf: 'center' }}
      control={
        <Switch
          size="small"
          checked={Boolean(field.value)}
          disabled={!identity}
          onChange={(event) => field.onChange(event.target.checked && identity ? String(identity.id) : '')}
          slotProps={{ input: { 'aria-label': translate('resources.incidents.filters.mine') } }}
          data-testid="incidents-filter-mine"
        />
      }
      label={translate('resources.incidents.filters.mine')}
    />
  );
}

// Filter keys are the API's query keys: status and severity repeat, q matches title words or an INC number.
export const incidentFilters = [
  <HintedSearchInput key="q" source="q" alwaysOn placeholder="resources.incidents.helpers.search" sx={{ minWidth: 240 }} />,
  <SelectArrayInput key="status" source="status" choices={statusChoices} alwaysOn sx={{ minWidth: 180 }} />,
  <SelectArrayInput key="severity" source="severity" choices={severityChoices} alwaysOn sx={{ minWidth: 160 }} />,
  <CommandedByMeInput key="commanderId" source="commanderId" alwaysOn />,
];
