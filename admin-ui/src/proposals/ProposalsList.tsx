import { DataTable, List, NumberField, SelectArrayInput, SelectInput, TextField, TopToolbar } from 'react-admin';
import { DateTimeField } from '../common/DateTimeField';
import {
  DeviceCountField,
  ProposalStatusField,
  RulesField,
  ScoreField,
  SeenField,
  SeverityField,
  ValueByCurrencyField,
} from './ProposalFields';
import { RunDetectionButton } from './RunDetectionButton';
import { severityChoices, statusChoices } from './types';

const proposalFilters = [
  <SelectArrayInput key="status" source="status" choices={statusChoices} alwaysOn sx={{ minWidth: 200 }} />,
  <SelectInput key="severity" source="severity" choices={severityChoices} alwaysOn />,
];

/**
 * The triage queue: what detection found, strongest first. Sortable columns
 * are exactly the API's `_sort` keys (score, createdAt, orderCount,
 * lastOrderAt); value is per currency, so it orders nothing.
 */
export default function ProposalsList() {
  return (
    <List
      filters={proposalFilters}
      filterDefaultValues={{ status: ['open'] }}
      sort={{ field: 'score', order: 'DESC' }}
      perPage={25}
      actions={
        <TopToolbar>
          <RunDetectionButton />
        </TopToolbar>
      }
      // The toolbar holds "Run detection now": show it even when the queue is empty.
      empty={false}
      data-testid="proposals-list"
    >
      <DataTable rowClick="show" bulkActionButtons={false} sx={{ '& td': { verticalAlign: 'top' } }}>
        <DataTable.Col source="score">
          <ScoreField />
        </DataTable.Col>
        <DataTable.Col source="title" disableSort>
          <TextField source="title" sx={{ display: 'block', fontWeight: 500, mb: 0.5 }} />
          <RulesField />
        </DataTable.Col>
        <DataTable.Col source="severity" disableSort>
          <SeverityField />
        </DataTable.Col>
        <DataTable.Col source="orderCount" align="right">
          <NumberField source="orderCount" />
        </DataTable.Col>
        <DataTable.Col source="deviceCount" align="right">
          <DeviceCountField />
        </DataTable.Col>
        <DataTable.Col source="valueByCurrency" align="right" disableSort>
          <ValueByCurrencyField />
        </DataTable.Col>
        <DataTable.Col source="lastOrderAt" label="resources.proposals.fields.seen">
          <SeenField />
        </DataTable.Col>
        <DataTable.Col source="createdAt">
          <DateTimeField source="createdAt" />
        </DataTable.Col>
        <DataTable.Col source="status" disableSort>
          <ProposalStatusField />
        </DataTable.Col>
      </DataTable>
    </List>
  );
}
