import UploadIcon from '@mui/icons-material/UploadFile';
import ReportIcon from '@mui/icons-material/ReportProblem';
import { Button, CanAccess, LinkBase, useListContext } from 'react-admin';
import { ListActions } from '../common/ListActions';
import { cleanOrderFilter, declareFromFilterLink } from '../incidents/orderFilter';
import { ORDER_IMPORT_PATH } from './import';

/** Opens the declare view with the list's current filter, so the count shown there is the one seen here. */
function DeclareIncidentButton() {
  const { filterValues } = useListContext();
  return (
    <Button
      component={LinkBase}
      to={declareFromFilterLink(cleanOrderFilter(filterValues))}
      label="resources.incidents.actions.declare_from_orders"
      data-testid="orders-declare-incident-button"
    >
      <ReportIcon />
    </Button>
  );
}

/** Filters, export (if allowed), "Declare incident" for `incidents.create` and "Import CSV" for `orders.import`. */
export function OrderListActions() {
  return (
    <ListActions>
      <CanAccess resource="incidents" action="create">
        <DeclareIncidentButton />
      </CanAccess>
      <CanAccess resource="orders" action="import">
        <Button component={LinkBase} to={ORDER_IMPORT_PATH} label="resources.orders.actions.import" data-testid="orders-import-button">
          <UploadIcon />
        </Button>
      </CanAccess>
    </ListActions>
  );
}
