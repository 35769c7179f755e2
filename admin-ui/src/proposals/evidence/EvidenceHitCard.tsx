import Box from '@mui/material/Box';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { RecordContextProvider, type RaRecord } from 'react-admin';
import { JsonField } from '../../common/JsonField';
import type { EvidenceHit } from '../types';
import { HitOrders } from './HitOrders';
import { ruleEvidence } from './ruleEvidence';
import { StrengthChip } from './StrengthChip';

/** One rule hit in full: what it saw, the baseline, by how much it was exceeded, and which orders. */
export function EvidenceHitCard({
  hit,
  orders,
  loadingOrders,
  caption,
}: {
  hit: EvidenceHit;
  orders: RaRecord[];
  loadingOrders: boolean;
  caption?: string;
}) {
  const Details = ruleEvidence(hit.rule)?.Details;
  return (
    <Box sx={{ px: 2, pb: 2, pt: 1 }} data-testid="proposal-evidence-hit" data-rule={hit.rule} data-hit-key={hit.key}>
      <Stack direction="row" spacing={1} useFlexGap sx={{ alignItems: 'center', flexWrap: 'wrap', mb: 0.5 }}>
        {caption && (
          <Typography variant="overline" color="text.secondary" component="span" sx={{ lineHeight: 1.5 }}>
            {caption}
          </Typography>
        )}
        <StrengthChip hit={hit} />
      </Stack>
      {hit.summary && (
        <Typography variant="body2" sx={{ mb: 1 }} data-testid="evidence-summary">
          {hit.summary}
        </Typography>
      )}
      {Details ? (
        <Details hit={hit} />
      ) : (
        <RecordContextProvider value={{ id: hit.key, hit }}>
          <JsonField source="hit" />
        </RecordContextProvider>
      )}
      <HitOrders orders={orders} loading={loadingOrders} />
    </Box>
  );
}
