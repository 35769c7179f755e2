import type { ReactNode } from 'react';
import { AppBar, Layout as RaLayout, Logout, UserMenu } from 'react-admin';
import { AccountMenuItem } from './AccountMenuItem';

const AppUserMenu = () => (
  <UserMenu>
    <AccountMenuItem />
    <Logout />
  </UserMenu>
);

const AppAppBar = () => <AppBar userMenu={<AppUserMenu />} />;

export function Layout({ children }: { children: ReactNode }) {
  return <RaLayout appBar={AppAppBar}>{children}</RaLayout>;
}
