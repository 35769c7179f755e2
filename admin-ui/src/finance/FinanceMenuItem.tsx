import FinanceIcon from '@mui/icons-material/AccountBalance';
import { Menu, useCanAccess, useTranslate } from 'react-admin';
import { FINANCE_PATH } from './index';

/** The Finance entry of the menu, for the roles the matrix lets see the report (`finance-report.show`). */
export function FinanceMenuItem() {
  const translate = useTranslate();
  const { canAccess } = useCanAccess({ resource: 'finance-report', action: 'show' });
  if (!canAccess) return null;
  return (
    <Menu.Item
      to={FINANCE_PATH}
      state={{ _scrollToTop: true }}
      primaryText={translate('resources.finance.menu')}
      leftIcon={<FinanceIcon />}
      data-testid="menu-finance"
    />
  );
}
