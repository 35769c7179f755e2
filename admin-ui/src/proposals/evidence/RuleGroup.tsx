import Divider from '@mui/material/Divider';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useTranslate, type RaRecord } from 'react-admin';
import { useRuleName } from '../ProposalFields';
import type { EvidenceHit } from '../types';
import { EvidenceHitCard } from './EvidenceHitCard';
import { num } from './format';
import { HitsTable } from './HitsTable';
import { ordersOfHit } from './ruleEvidence';

/**
 * One block per rule that fired: its strongest hit in full (facts, measured
 * vs baseline, orders), then — when it fired more than once — every hit as a
 * compact row, strongest first.
 */
export function RuleGroup({
  rule,
  hits,
  orders,
  loadingOrders,
}: {
  rule: string;
  hits: EvidenceHit[];
  orders: RaRecord[];
  loadingOrders: boolean;
}) {
  const translate = useTranslate();
  const ruleName = useRuleName();
  const sorted = [...hits].sort((a, b) => num(b.strength) - num(a.strength));
  const strongest = sorted[0]!;
  return (
    <Paper variant="outlined" data-testid="proposal-evidence-group" data-rule={rule} data-hits={hits.length}>
      <Stack direction="row" spacing={1} useFlexGap sx={{ alignItems: 'baseline', flexWrap: 'wrap', px: 2, pt: 1.5 }}>
        <Typography variant="subtitle1" component="h3" sx={{ fontWeight: 600 }}>
          {ruleName(rule)}
        </Typography>
        <Typography variant="body2" color="text.secondary" component="span">
          {translate('resources.proposals.evidence.hits', { smart_count: hits.length })}
        </Typography>
      </Stack>
      <EvidenceHitCard
        hit={strongest}
        orders={ordersOfHit(strongest, orders)}
        loadingOrders={loadingOrders}
        caption={hits.length > 1 ? translate('resources.proposals.evidence.strongest') : undefined}
      />
      {hits.length > 1 && (
        <>
          <Divider />
          <Typography variant="overline" color="text.secondary" component="div" sx={{ px: 2, pt: 1 }}>
            {translate('resources.proposals.evidence.all_hits', { smart_count: hits.length })}
          </Typography>
          <HitsTable hits={sorted} orders={orders} />
        </>
      )}
    </Paper>
  );
}
