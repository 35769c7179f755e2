import Box from '@mui/material/Box';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { useLocaleState, useTranslate } from 'react-admin';
import { formatMoney } from '../common/money';
import { l, type CurrencyTally } from './ledgerTypes';

/**
 * Loss by category of one currency as horizontal bars around a zero line:
 * costs to the right, recoveries to the left. A plain table underneath (label,
 * bar, amount), so screen readers and the keyboard get the same figures as the
 * eye. Bar lengths are the only arithmetic here, and they are geometry
 * (percentages of the longest bar), never money shown to anyone.
 */
export function CategoryBars({ tally, testId }: { tally: CurrencyTally; testId: string }) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const rows = tally.categories.filter((c) => c.amountMinor !== 0);
  if (!rows.length) {
    return (
      <Typography variant="body2" color="text.secondary">
        {translate(l('charts.no_categories'), { currency: tally.currency })}
      </Typography>
    );
  }
  const most = Math.max(0, ...rows.map((c) => c.amountMinor));
  const least = Math.min(0, ...rows.map((c) => c.amountMinor));
  const span = most - least || 1;
  const zero = (-least / span) * 100;
  return (
    <Table
      size="small"
      data-testid={`${testId}-category-chart`}
      data-currency={tally.currency}
      aria-label={`${translate(l('charts.by_category'))} (${tally.currency})`}
      sx={{ '& td': { borderBottom: 0, py: 0.5 } }}
    >
      <TableBody>
        {rows.map((row) => {
          const width = (Math.abs(row.amountMinor) / span) * 100;
          const left = row.amountMinor < 0 ? zero - width : zero;
          return (
            <TableRow key={row.category} data-testid={`${testId}-category`} data-category={row.category} data-minor={row.amountMinor}>
              <TableCell sx={{ pl: 0, width: '30%', whiteSpace: 'nowrap' }}>
                <Typography variant="body2">{translate(l(`categories.${row.category}`), { _: row.category })}</Typography>
              </TableCell>
              <TableCell sx={{ width: '45%', minWidth: 120 }} aria-hidden>
                <Box sx={{ position: 'relative', height: 16 }}>
                  <Box sx={{ position: 'absolute', left: `${zero}%`, top: -4, bottom: -4, borderLeft: 1, borderColor: 'divider' }} />
                  <Box
                    sx={{
                      position: 'absolute',
                      left: `${left}%`,
                      width: `max(${width}%, 2px)`,
                      top: 0,
                      bottom: 0,
                      borderRadius: 0.5,
                      bgcolor: row.amountMinor < 0 ? 'success.main' : 'error.main',
                      opacity: 0.8,
                    }}
                  />
                </Box>
              </TableCell>
              <TableCell align="right" sx={{ pr: 0, fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}>
                <Typography variant="body2" component="span">
                  {formatMoney(row.amountMinor, tally.currency, locale)}
                </Typography>
              </TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}
