import UploadIcon from '@mui/icons-material/UploadFile';
import { Button, CanAccess, LinkBase } from 'react-admin';
import { ListActions } from '../common/ListActions';
import { ORDER_IMPORT_PATH } from './import';

/** Filters, export (if allowed) and "Import CSV" for users with `orders.import`. */
export function OrderListActions() {
  return (
    <ListActions>
      <CanAccess resource="orders" action="import">
        <Button component={LinkBase} to={ORDER_IMPORT_PATH} label="resources.orders.actions.import" data-testid="orders-import-button">
          <UploadIcon />
        </Button>
      </CanAccess>
    </ListActions>
  );
}
