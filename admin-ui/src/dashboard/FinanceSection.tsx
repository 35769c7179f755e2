import Box from '@mui/material/Box';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { useTranslate } from 'react-admin';
import { FINANCE_PATH } from '../finance';
import { AppLink, d, DashCard, Loaded, Money, SectionPanel } from './DashboardParts';
import type { FinanceDashboard } from './dashboardTypes';
import { useDashboardRead } from './useDashboard';

type CurrencyLoss = FinanceDashboard['currencies'][number];

/** One currency: its net loss, what it is made of, and the incidents that cost most in it. */
function CurrencyCard({ loss }: { loss: CurrencyLoss }) {
  const translate = useTranslate();
  const figure = (key: string, minor: number, strong = false) => (
    <Box data-testid={`finance-${key}`}>
      <Typography variant="caption" color="text.secondary" component="p">
        {translate(`resources.ledger.figures.${key}`)}
      </Typography>
      <Typography variant={strong ? 'h5' : 'body1'} component="p">
        <Money minor={minor} currency={loss.currency} strong={strong} />
      </Typography>
    </Box>
  );
  return (
    <DashCard title={translate('resources.ledger.figures.currency_title', { currency: loss.currency })} testId="finance-currency">
      <Box data-currency={loss.currency} data-testid={`finance-currency-${loss.currency}`}>
        <Box sx={{ display: 'flex', gap: 3, flexWrap: 'wrap', mb: 1 }}>
          {figure('net_loss', loss.netLossMinor, true)}
          {figure('cost', loss.costMinor)}
          {figure('recovered', loss.recoveredMinor)}
        </Box>
        <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
          {translate(d('finance.incidents'), { smart_count: loss.incidents })}
          {loss.topCategories.length > 0 && ` · ${translate(d('finance.top_categories'))}: `}
          {loss.topCategories.map((c, i) => (
            <span key={c.category}>
              {i > 0 && ', '}
              {translate(`resources.ledger.categories.${c.category}`, { _: c.category })}{' '}
              <Money minor={c.amountMinor} currency={loss.currency} />
            </span>
          ))}
        </Typography>
        <Typography variant="subtitle2" component="h4">
          {translate(d('finance.top_incidents'))}
        </Typography>
        <Table size="small">
          <TableBody>
            {loss.topIncidents.map((row) => (
              <TableRow
                key={row.incidentId}
                data-testid="finance-top-incident"
                data-incident-id={row.incidentId}
                data-net-minor={row.netLossMinor}
              >
                <TableCell sx={{ pl: 0 }}>
                  <AppLink to={`/incidents/${encodeURIComponent(row.incidentId)}/show?tab=ledger`} mono>
                    {row.reference}
                  </AppLink>
                </TableCell>
                <TableCell sx={{ overflowWrap: 'anywhere' }}>{row.title}</TableCell>
                <TableCell align="right" sx={{ pr: 0 }}>
                  <Money minor={row.netLossMinor} currency={loss.currency} strong />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </Box>
    </DashCard>
  );
}

/** Finance: the loss of every incident so far, one card per currency (never added together). */
export function FinanceSection() {
  const translate = useTranslate();
  const query = useDashboardRead<FinanceDashboard>('dashboard', 'finance');
  return (
    <SectionPanel section="finance">
      <Box sx={{ gridColumn: '1 / -1' }}>
        <Typography variant="body2" color="text.secondary">
          {translate(d('finance.intro'))} <AppLink to={FINANCE_PATH}>{translate(d('finance.open_finance'))}</AppLink>
        </Typography>
      </Box>
      <Loaded query={query}>
        {(data) =>
          data.currencies.length === 0 ? (
            <Typography variant="body2" color="text.secondary" data-testid="finance-empty">
              {translate(d('finance.no_losses'))}
            </Typography>
          ) : (
            data.currencies.map((loss) => <CurrencyCard key={loss.currency} loss={loss} />)
          )
        }
      </Loaded>
    </SectionPanel>
  );
}
