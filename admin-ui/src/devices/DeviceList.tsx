import { List } from 'react-admin';
import { ListActions } from '../common/ListActions';
import { deviceFilters } from './deviceFilters';
import { DevicesTable } from './DevicesTable';

export default function DeviceList() {
  // Default sort by id: the one sort key every version of the API accepts.
  return (
    <List filters={deviceFilters} sort={{ field: 'id', order: 'ASC' }} perPage={25} actions={<ListActions />}>
      <DevicesTable />
    </List>
  );
}
