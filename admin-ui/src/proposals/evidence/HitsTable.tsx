import { useState } from 'react';
import Box from '@mui/material/Box';
import MuiButton from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { Link, useTranslate, type RaRecord } from 'react-admin';
import type { EvidenceHit } from '../types';
import { mono, orderPath } from './format';
import { ordersOfHit } from './ruleEvidence';
import { StrengthChip } from './StrengthChip';

const ROWS_STEP = 10;

/** Every hit of one rule as a compact row: the server's sentence, the deviation, the orders. */
export function HitsTable({ hits, orders }: { hits: EvidenceHit[]; orders: RaRecord[] }) {
  const translate = useTranslate();
  const [shown, setShown] = useState(ROWS_STEP);
  return (
    <Box sx={{ px: 2, pb: 1.5 }}>
      <Table size="small" data-testid="evidence-table">
        <TableHead>
          <TableRow>
            <TableCell>{translate('resources.proposals.evidence.columns.finding')}</TableCell>
            <TableCell sx={{ width: 170 }}>{translate('resources.proposals.evidence.columns.deviation')}</TableCell>
            <TableCell sx={{ width: 340 }}>{translate('resources.proposals.evidence.columns.orders')}</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {hits.slice(0, shown).map((hit, index) => {
            const matched = ordersOfHit(hit, orders);
            return (
              <TableRow key={`${hit.key}-${index}`} data-testid="proposal-evidence-row" data-hit-key={hit.key}>
                <TableCell sx={{ fontSize: '0.8125rem' }}>{hit.summary}</TableCell>
                <TableCell>
                  <StrengthChip hit={hit} />
                </TableCell>
                <TableCell>
                  <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: 'wrap' }}>
                    {matched.slice(0, 2).map((order) => (
                      <Link key={order.id} to={orderPath(String(order.id))} sx={{ ...mono, fontSize: '0.8125rem' }}>
                        {order.externalId}
                      </Link>
                    ))}
                    {matched.length > 2 && (
                      <Typography variant="body2" color="text.secondary" component="span" sx={{ fontSize: '0.8125rem' }}>
                        +{matched.length - 2}
                      </Typography>
                    )}
                  </Stack>
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
      {hits.length > shown && (
        <MuiButton size="small" onClick={() => setShown((n) => n + ROWS_STEP * 5)} sx={{ mt: 1 }} data-testid="evidence-show-more">
          {translate('resources.proposals.evidence.show_more', { smart_count: hits.length - shown })}
        </MuiButton>
      )}
    </Box>
  );
}
