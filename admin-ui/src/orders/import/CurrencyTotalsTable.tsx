import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import { useLocaleState, useTranslate } from 'react-admin';
import { formatMoney } from '../../common/money';
import type { OrderImportCurrencyTotal } from './types';

/**
 * What an import would add, per currency, as the server summed it. Amounts in
 * different currencies are never added together.
 */
export function CurrencyTotalsTable({ totals }: { totals: OrderImportCurrencyTotal[] }) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  return (
    <Table size="small" sx={{ maxWidth: 480 }} data-testid="csv-preview-currencies">
      <TableHead>
        <TableRow>
          <TableCell>{translate('resources.orders.import.columns.currency')}</TableCell>
          <TableCell align="right">{translate('resources.orders.import.columns.orders')}</TableCell>
          <TableCell align="right">{translate('resources.orders.import.columns.total')}</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {totals.map((total) => (
          <TableRow key={total.currency} data-currency={total.currency}>
            <TableCell>{total.currency}</TableCell>
            <TableCell align="right">{total.orders}</TableCell>
            <TableCell align="right" sx={{ fontVariantNumeric: 'tabular-nums' }}>
              {formatMoney(total.totalMinor, total.currency, locale)}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
