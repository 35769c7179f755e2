import Stack from '@mui/material/Stack';
import type { RaRecord } from 'react-admin';
import type { EvidenceHit } from '../types';
import { RuleGroup } from './RuleGroup';

/** The evidence of a proposal, one block per rule, in the order the rules first appear. */
export function ProposalEvidence({
  evidence,
  orders,
  loadingOrders,
}: {
  evidence: EvidenceHit[];
  orders: RaRecord[];
  loadingOrders: boolean;
}) {
  const groups = new Map<string, EvidenceHit[]>();
  for (const hit of evidence) groups.set(hit.rule, [...(groups.get(hit.rule) ?? []), hit]);
  return (
    <Stack spacing={1.5}>
      {[...groups].map(([rule, hits]) => (
        <RuleGroup key={rule} rule={rule} hits={hits} orders={orders} loadingOrders={loadingOrders} />
      ))}
    </Stack>
  );
}
