import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import CheckCircleIcon from '@mui/icons-material/CheckCircleOutline';
import GavelIcon from '@mui/icons-material/Gavel';
import { useLocaleState, useTranslate } from 'react-admin';
import { formatMoney } from '../common/money';
import { ActionIcon } from './ActionIcon';
import type { ApprovalAssessment, RunAction, RunFigures } from './runTypes';
import { t, useScopeLines } from './useRunApi';

/** What approval means for this preview: which currencies cross their threshold, and by how much. */
export function ApprovalNotice({
  approval,
  testId,
  title,
  message,
}: {
  approval: ApprovalAssessment;
  testId: string;
  /** Translated; the request flow's wording by default. */
  title?: string;
  message?: string;
}) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  if (!approval.required) {
    return (
      <Alert severity="success" icon={<CheckCircleIcon />} data-testid={testId} data-required="false">
        {translate(t('approval.not_needed'))}
      </Alert>
    );
  }
  return (
    <Alert severity="warning" icon={<GavelIcon />} data-testid={testId} data-required="true">
      <AlertTitle>{title ?? translate(t('approval.needed_title'))}</AlertTitle>
      {message ?? translate(t('approval.needed'))}
      <Box component="ul" sx={{ m: 0, mt: 0.5, pl: 2.5 }}>
        {approval.over.map((o) => (
          <li key={o.currency} data-currency={o.currency}>
            {o.thresholdMinor === null
              ? translate(t('approval.over_no_threshold'), {
                  amount: formatMoney(Number(o.amountMinor), o.currency, locale),
                  currency: o.currency,
                })
              : translate(t('approval.over'), {
                  amount: formatMoney(Number(o.amountMinor), o.currency, locale),
                  threshold: formatMoney(Number(o.thresholdMinor), o.currency, locale),
                })}
          </li>
        ))}
      </Box>
    </Alert>
  );
}

/** The request's exact scope, one sentence per action, as the person confirms it. */
export function ScopeStatement({ preview, testId }: { preview: RunFigures; testId: string }) {
  const scopeLines = useScopeLines();
  return (
    <Stack component="ul" spacing={0.75} sx={{ m: 0, p: 0, listStyle: 'none' }} data-testid={testId}>
      {scopeLines(preview).map((line) => (
        <Stack component="li" key={line.action} direction="row" spacing={1} sx={{ alignItems: 'center' }}>
          <ActionIcon action={line.action as RunAction} />
          <Typography variant="body1" sx={{ fontWeight: 500 }} data-testid={`${testId}-${line.action}`}>
            {line.text}
          </Typography>
        </Stack>
      ))}
    </Stack>
  );
}
