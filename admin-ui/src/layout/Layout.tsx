import type { ReactNode } from 'react';
import { AppBar, Layout as RaLayout, Logout, Menu, UserMenu } from 'react-admin';
import { FinanceMenuItem } from '../finance/FinanceMenuItem';
import { AccountMenuItem } from './AccountMenuItem';

const AppUserMenu = () => (
  <UserMenu>
    <AccountMenuItem />
    <Logout />
  </UserMenu>
);

const AppAppBar = () => <AppBar userMenu={<AppUserMenu />} />;

/** Every resource the user may list (react-admin checks `<resource>.list`), then the pages that are not resources. */
const AppMenu = () => (
  <Menu>
    <Menu.DashboardItem />
    <Menu.ResourceItems />
    <FinanceMenuItem />
  </Menu>
);

export function Layout({ children }: { children: ReactNode }) {
  return (
    <RaLayout appBar={AppAppBar} menu={AppMenu}>
      {children}
    </RaLayout>
  );
}
