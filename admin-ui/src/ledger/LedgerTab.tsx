import type { ReactNode } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Paper from '@mui/material/Paper';
import Skeleton from '@mui/material/Skeleton';
import Stack from '@mui/material/Stack';
import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import Typography from '@mui/material/Typography';
import AccountBalanceIcon from '@mui/icons-material/AccountBalance';
import { CanAccess, useRecordContext, useTranslate } from 'react-admin';
import { useSearchParams } from 'react-router';
import type { Incident } from '../incidents/incidentTypes';
import { useErrorText } from '../incidents/useIncidentApi';
import { CategoryBars } from './CategoryBars';
import { CurrencyFigures } from './CurrencyFigures';
import { LedgerEntries } from './LedgerEntries';
import { l, type Bucket } from './ledgerTypes';
import { ReconciliationPanel } from './ReconciliationPanel';
import { RecoveryChart } from './RecoveryChart';
import { useLedgerTally } from './useLedgerApi';

function Section({
  title,
  intro,
  action,
  children,
  testId,
}: {
  title: string;
  intro?: string;
  action?: ReactNode;
  children: ReactNode;
  testId: string;
}) {
  return (
    <Paper variant="outlined" sx={{ p: 2, display: 'grid', gap: 1.5 }} data-testid={testId}>
      <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1} sx={{ justifyContent: 'space-between', alignItems: { sm: 'center' } }}>
        <Box>
          <Typography variant="subtitle1" component="h2" sx={{ fontWeight: 600 }}>
            {title}
          </Typography>
          {intro && (
            <Typography variant="body2" color="text.secondary">
              {intro}
            </Typography>
          )}
        </Box>
        {action}
      </Stack>
      {children}
    </Paper>
  );
}

/**
 * The incident's loss ledger (the cockpit's Ledger tab, loaded on demand):
 * per currency cost, recovered and net loss, loss by category, recovery over
 * time by day or hour — every figure the server's sum of the ledger
 * (`GET /api/incidents/:id/ledger/tally`) — the reconciliation with Stripe,
 * and the entries themselves.
 */
export default function LedgerTab() {
  const incident = useRecordContext<Incident>();
  const translate = useTranslate();
  const errorText = useErrorText();
  // The bucket size lives in the URL beside the tab (?tab=ledger&bucket=hour), so a reload keeps it.
  const [params, setParams] = useSearchParams();
  const bucket: Bucket = params.get('bucket') === 'hour' ? 'hour' : 'day';
  const tally = useLedgerTally(String(incident?.id ?? ''), bucket);
  if (!incident) return null;

  const setBucket = (next: Bucket) =>
    setParams(
      (current) => {
        const updated = new URLSearchParams(current);
        updated.set('bucket', next);
        return updated;
      },
      { replace: true },
    );
  const tallies = tally.data?.currencies ?? [];
  const bucketName = translate(l(`charts.bucket_names.${bucket}`));

  return (
    <Box data-testid="incident-ledger" sx={{ display: 'grid', gap: 2 }}>
      <Box>
        <Typography variant="subtitle1" component="h2" sx={{ fontWeight: 600 }}>
          {translate(l('tab.title'))}
        </Typography>
        <Typography variant="body2" color="text.secondary">
          {translate(l('tab.intro'))}
        </Typography>
      </Box>
      {tally.error ? (
        <Alert severity="error">{errorText(tally.error)}</Alert>
      ) : tally.isPending ? (
        <Skeleton variant="rounded" height={120} />
      ) : !tallies.length ? (
        <Box
          sx={{ py: 4, textAlign: 'center', border: 1, borderStyle: 'dashed', borderColor: 'divider', borderRadius: 1 }}
          data-testid="incident-ledger-empty"
        >
          <AccountBalanceIcon color="disabled" sx={{ fontSize: 40 }} />
          <Typography variant="body2" color="text.secondary">
            {translate(l('tab.empty'))}
          </Typography>
        </Box>
      ) : (
        <>
          <CurrencyFigures tallies={tallies} testId="ledger" />
          <Section title={translate(l('charts.by_category'))} intro={translate(l('charts.by_category_intro'))} testId="ledger-by-category">
            {tallies.map((t) => (
              <Box key={t.currency}>
                {tallies.length > 1 && (
                  <Typography variant="overline" color="text.secondary" component="h3">
                    {t.currency}
                  </Typography>
                )}
                <CategoryBars tally={t} testId="ledger" />
              </Box>
            ))}
          </Section>
          <Section
            title={translate(l('charts.recovery'))}
            intro={translate(l('charts.recovery_intro'), { bucket: bucketName })}
            testId="ledger-recovery"
            action={
              <ToggleButtonGroup
                exclusive
                size="small"
                value={bucket}
                onChange={(_, next: Bucket | null) => next && setBucket(next)}
                aria-label={translate(l('charts.bucket_label'))}
              >
                {(['day', 'hour'] as const).map((b) => (
                  <ToggleButton key={b} value={b} data-testid={`ledger-bucket-${b}`} sx={{ px: 1.5 }}>
                    {translate(l(`charts.buckets.${b}`))}
                  </ToggleButton>
                ))}
              </ToggleButtonGroup>
            }
          >
            <Box sx={{ opacity: tally.isPlaceholderData ? 0.5 : 1, display: 'grid', gap: 2 }} data-bucket={tally.data?.recovery.bucket}>
              {tallies.map((t) => (
                <Box key={t.currency}>
                  {tallies.length > 1 && (
                    <Typography variant="overline" color="text.secondary" component="h3">
                      {t.currency}
                    </Typography>
                  )}
                  <RecoveryChart
                    points={tally.data!.recovery.points.filter((p) => p.currency === t.currency)}
                    bucket={tally.data!.recovery.bucket}
                    currency={t.currency}
                    testId="ledger"
                  />
                </Box>
              ))}
            </Box>
          </Section>
        </>
      )}
      <CanAccess resource="reconciliations" action="list">
        <ReconciliationPanel incidentId={String(incident.id)} />
      </CanAccess>
      <Section title={translate(l('entries.title'))} testId="ledger-entries">
        <LedgerEntries incidentId={String(incident.id)} currencies={tallies.map((t) => t.currency)} />
      </Section>
    </Box>
  );
}
