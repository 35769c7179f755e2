import type { SxProps, Theme } from '@mui/material/styles';
import BlockIcon from '@mui/icons-material/Block';
import CurrencyExchangeIcon from '@mui/icons-material/CurrencyExchange';
import LocalShippingIcon from '@mui/icons-material/LocalShippingOutlined';
import MailOutlineIcon from '@mui/icons-material/MailOutline';
import type { RunAction } from './runTypes';

const icons: Record<RunAction, typeof BlockIcon> = {
  stop_shipment: LocalShippingIcon,
  refund: CurrencyExchangeIcon,
  notify: MailOutlineIcon,
  quarantine_devices: BlockIcon,
};

const colors: Record<RunAction, string> = {
  stop_shipment: 'info.main',
  refund: 'success.main',
  notify: 'secondary.main',
  quarantine_devices: 'warning.main',
};

/** The one icon (and colour) of each run action, the same on every screen. */
export function ActionIcon({ action, sx, fontSize = 'small' }: { action: RunAction; sx?: SxProps<Theme>; fontSize?: 'small' | 'medium' }) {
  const Icon = icons[action] ?? BlockIcon;
  return <Icon fontSize={fontSize} sx={{ color: colors[action], ...(sx as object) }} aria-hidden />;
}
