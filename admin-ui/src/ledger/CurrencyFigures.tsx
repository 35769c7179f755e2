import Box from '@mui/material/Box';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import { useLocaleState, useTranslate } from 'react-admin';
import { MoneyField } from '../common/MoneyField';
import { l, type CurrencyTally } from './ledgerTypes';

const figures = [
  { key: 'cost', source: 'costMinor', color: 'error.main' },
  { key: 'recovered', source: 'recoveredMinor', color: 'success.main' },
  { key: 'net_loss', source: 'netLossMinor', color: 'text.primary' },
] as const;

/**
 * Cost, recovered and net loss of each currency, one card per currency, as
 * the server summed them (never added across currencies). Each figure carries
 * its exact minor units in `data-minor`.
 */
export function CurrencyFigures({ tallies, testId }: { tallies: CurrencyTally[]; testId: string }) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  return (
    <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: 'repeat(auto-fill, minmax(min(100%, 340px), 1fr))' }}>
      {tallies.map((tally) => (
        <Paper
          key={tally.currency}
          variant="outlined"
          sx={{ p: 2 }}
          component="section"
          aria-label={translate(l('figures.currency_title'), { currency: tally.currency })}
          data-testid={`${testId}-currency`}
          data-currency={tally.currency}
        >
          <Box sx={{ display: 'flex', justifyContent: 'space-between', alignItems: 'baseline', mb: 1 }}>
            <Typography variant="subtitle1" component="h3" sx={{ fontWeight: 700, fontFamily: 'monospace' }}>
              {tally.currency}
            </Typography>
            <Typography variant="caption" color="text.secondary" data-testid={`${testId}-entries`} data-value={tally.entries}>
              {translate(l('figures.entries'), { smart_count: tally.entries, count: tally.entries.toLocaleString(locale) })}
            </Typography>
          </Box>
          <Box sx={{ display: 'grid', gap: 1, gridTemplateColumns: 'repeat(3, minmax(0, 1fr))' }}>
            {figures.map((figure) => (
              <Box
                key={figure.key}
                data-testid={`${testId}-figure-${figure.key}`}
                data-minor={tally[figure.source]}
                sx={{ borderLeft: 3, borderColor: figure.color, pl: 1, minWidth: 0 }}
              >
                <Typography variant="overline" color="text.secondary" component="div" sx={{ lineHeight: 1.6 }}>
                  {translate(l(`figures.${figure.key}`))}
                </Typography>
                <Box sx={{ '& .MuiTypography-root': { fontSize: '1.15rem', fontWeight: 600 }, overflowWrap: 'anywhere' }}>
                  <MoneyField record={tally} source={figure.source} currencySource="currency" />
                </Box>
              </Box>
            ))}
          </Box>
        </Paper>
      ))}
    </Box>
  );
}
