import AccountIcon from '@mui/icons-material/ManageAccounts';
import { MenuItemLink, useUserMenu } from 'react-admin';
import { ACCOUNT_PATH } from '../account';

export function AccountMenuItem() {
  const userMenu = useUserMenu();
  return (
    <MenuItemLink
      to={ACCOUNT_PATH}
      primaryText="app.account.menu"
      leftIcon={<AccountIcon />}
      onClick={userMenu?.onClose}
      data-testid="account-menu-item"
    />
  );
}
