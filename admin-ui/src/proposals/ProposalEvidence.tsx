import { useState, type ReactNode } from 'react';
import Box from '@mui/material/Box';
import MuiButton from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Divider from '@mui/material/Divider';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { Link, RecordContextProvider, useLocaleState, useTranslate, type RaRecord } from 'react-admin';
import { JsonField } from '../common/JsonField';
import { formatMoney } from '../common/money';
import { AddressField } from '../orders/AddressField';
import { useRuleName } from './ProposalFields';
import type { EvidenceHit } from './types';

const ORDER_CHIPS = 12;
const mono = { fontFamily: 'monospace' };

const str = (value: unknown) => (typeof value === 'string' ? value : value == null ? '' : String(value));
const num = (value: unknown) => (typeof value === 'number' ? value : Number(value));

export const orderPath = (id: string) => `/orders/${encodeURIComponent(id)}/show`;
export const devicePath = (id: string) => `/devices/${encodeURIComponent(id)}/show`;

function useFactor() {
  const [locale] = useLocaleState();
  return (value: number) => new Intl.NumberFormat(locale, { maximumFractionDigits: value >= 10 ? 0 : 1 }).format(value);
}

/** The proposal's orders that a hit is about, matched on what its evidence names. */
export function ordersOfHit(hit: EvidenceHit, orders: RaRecord[]): RaRecord[] {
  switch (hit.rule) {
    case 'device-velocity':
      return orders.filter((order) => order.deviceId === hit.deviceId);
    case 'fleet-burst':
      return orders.filter((order) => order.deviceModel === hit.model && order.firmwareVersion === hit.firmwareVersion);
    case 'shared-new-address':
      return orders.filter((order) => order.shipToHash === hit.shipToHash);
    case 'value-outlier':
      return orders.filter((order) => order.id === hit.orderId);
    default:
      return [];
  }
}

/** A label and its value in the fact grid of a hit. */
function Fact({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <>
      <Typography component="dt" variant="body2" color="text.secondary">
        {label}
      </Typography>
      <Typography component="dd" variant="body2" sx={{ m: 0, fontVariantNumeric: 'tabular-nums' }} data-testid={testId}>
        {children}
      </Typography>
    </>
  );
}

/**
 * What was measured against what is usual, as two bars on one scale, so the
 * size of the deviation reads at a glance.
 */
function Comparison({
  measured,
  baseline,
  measuredLabel,
  baselineLabel,
  format = String,
}: {
  measured: number;
  baseline: number;
  measuredLabel: string;
  baselineLabel: string;
  format?: (value: number) => string;
}) {
  const max = Math.max(measured, baseline, 1e-9);
  const bar = (value: number, color: string, label: string, testId: string) => (
    <Box sx={{ display: 'grid', gridTemplateColumns: '240px 1fr', gap: 1.5, alignItems: 'center' }}>
      <Typography variant="caption" color="text.secondary" sx={{ lineHeight: 1.3 }}>
        {label}
      </Typography>
      <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
        <Box
          sx={{ height: 10, borderRadius: 5, bgcolor: color, width: `${Math.max(1, (value / max) * 100)}%`, maxWidth: 'calc(100% - 90px)' }}
        />
        <Typography variant="body2" sx={{ fontVariantNumeric: 'tabular-nums', fontWeight: 600 }} data-testid={testId}>
          {format(value)}
        </Typography>
      </Stack>
    </Box>
  );
  return (
    <Stack spacing={0.75} sx={{ mt: 1.5 }} aria-hidden>
      {bar(measured, 'error.main', measuredLabel, 'evidence-measured')}
      {bar(baseline, 'grey.400', baselineLabel, 'evidence-baseline')}
    </Stack>
  );
}

/** Rule-specific facts and the measured-vs-baseline comparison; undefined for a rule the UI does not know. */
function useHitDetails(hit: EvidenceHit): { facts: ReactNode; comparison?: ReactNode } | undefined {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const t = (key: string, args?: Record<string, unknown>) => translate(`resources.proposals.evidence.${key}`, args);
  const count = (value: number) => new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(value);
  const hours = num(hit.windowHours);
  switch (hit.rule) {
    case 'device-velocity':
      return {
        facts: (
          <>
            <Fact label={t('device')} testId="evidence-device">
              <Link to={devicePath(str(hit.deviceId))} sx={mono}>
                {str(hit.deviceId)}
              </Link>
            </Fact>
            <Fact label={t('model')}>{str(hit.model)}</Fact>
            <Fact label={t('window')}>{t('hours', { smart_count: hours })}</Fact>
          </>
        ),
        comparison: (
          <Comparison
            measured={num(hit.recentOrders)}
            baseline={num(hit.usualOrdersPerWindow)}
            measuredLabel={t('velocity_measured', { smart_count: hours })}
            baselineLabel={t('velocity_baseline')}
            format={count}
          />
        ),
      };
    case 'fleet-burst':
      return {
        facts: (
          <>
            <Fact label={t('model')}>{str(hit.model)}</Fact>
            <Fact label={t('firmware')}>{str(hit.firmwareVersion)}</Fact>
            <Fact label={t('sku')}>
              <Box component="span" sx={mono}>
                {str(hit.sku)}
              </Box>
            </Fact>
            <Fact label={t('window')}>{t('hours', { smart_count: hours })}</Fact>
          </>
        ),
        comparison: (
          <Comparison
            measured={num(hit.devices)}
            baseline={num(hit.usualOrdersPerWindow)}
            measuredLabel={t('fleet_measured', { sku: str(hit.sku) })}
            baselineLabel={t('fleet_baseline')}
            format={count}
          />
        ),
      };
    case 'shared-new-address': {
      const customers = num(hit.customers);
      const strength = num(hit.strength);
      return {
        facts: (
          <>
            <Fact label={t('address')}>
              <AddressField source="address" record={{ id: hit.key, address: hit.address }} />
            </Fact>
            <Fact label={t('customers')}>{customers}</Fact>
            <Fact label={t('devices')}>{str(hit.devices)}</Fact>
            <Fact label={t('address_history')}>{t('address_new', { smart_count: hours })}</Fact>
          </>
        ),
        comparison:
          strength > 0 ? (
            <Comparison
              measured={customers}
              baseline={Math.round(customers / strength)}
              measuredLabel={t('address_measured')}
              baselineLabel={t('address_baseline')}
              format={count}
            />
          ) : undefined,
      };
    }
    case 'value-outlier': {
      const currency = str(hit.currency);
      const money = (minor: number) => formatMoney(minor, currency, locale);
      return {
        facts: (
          <>
            <Fact label={t('model')}>{str(hit.model)}</Fact>
            <Fact label={t('currency')}>{currency}</Fact>
          </>
        ),
        comparison: (
          <Comparison
            measured={num(hit.totalMinor)}
            baseline={num(hit.usualHighMinor)}
            measuredLabel={t('value_measured')}
            baselineLabel={t('value_baseline', { model: str(hit.model) })}
            format={money}
          />
        ),
      };
    }
    default:
      return undefined;
  }
}

function HitOrders({ orders, loading }: { orders: RaRecord[]; loading: boolean }) {
  const translate = useTranslate();
  if (loading) return null;
  if (orders.length === 0) return null;
  return (
    <Box sx={{ mt: 1.5 }}>
      <Typography variant="caption" color="text.secondary" component="div" sx={{ mb: 0.5 }}>
        {translate('resources.proposals.evidence.orders', { smart_count: orders.length })}
      </Typography>
      <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: 'wrap' }} data-testid="evidence-orders">
        {orders.slice(0, ORDER_CHIPS).map((order) => (
          <Link key={order.id} to={orderPath(String(order.id))} sx={{ ...mono, fontSize: '0.8125rem' }} data-testid="evidence-order-link">
            {order.externalId}
          </Link>
        ))}
        {orders.length > ORDER_CHIPS && (
          <Typography variant="body2" color="text.secondary" component="span" sx={{ fontSize: '0.8125rem' }}>
            {translate('resources.proposals.evidence.more_orders', { smart_count: orders.length - ORDER_CHIPS })}
          </Typography>
        )}
      </Stack>
    </Box>
  );
}

function StrengthChip({ hit }: { hit: EvidenceHit }) {
  const translate = useTranslate();
  const factor = useFactor();
  const strength = num(hit.strength);
  if (!Number.isFinite(strength)) return null;
  return (
    <Chip
      size="small"
      color={strength >= 5 ? 'error' : 'warning'}
      label={translate(
        hit.rule === 'shared-new-address' ? 'resources.proposals.evidence.over_threshold' : 'resources.proposals.evidence.over_baseline',
        { factor: factor(strength) },
      )}
      data-testid="evidence-strength"
      data-strength={strength}
    />
  );
}

/** One rule hit in full: what it saw, the baseline, by how much it was exceeded, and which orders. */
function EvidenceHitCard({
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
  const details = useHitDetails(hit);
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
      {details ? (
        <>
          <Box
            component="dl"
            sx={{ display: 'grid', gridTemplateColumns: 'max-content 1fr', columnGap: 3, rowGap: 0.5, m: 0, alignItems: 'baseline' }}
          >
            {details.facts}
          </Box>
          {details.comparison}
        </>
      ) : (
        <RecordContextProvider value={{ id: hit.key, hit }}>
          <JsonField source="hit" />
        </RecordContextProvider>
      )}
      <HitOrders orders={orders} loading={loadingOrders} />
    </Box>
  );
}

const ROWS_STEP = 10;

/** Every hit of one rule as a compact row: the server's sentence, the deviation, the orders. */
function HitsTable({ hits, orders }: { hits: EvidenceHit[]; orders: RaRecord[] }) {
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

/**
 * One block per rule that fired: its strongest hit in full (facts, measured
 * vs baseline, orders), then — when it fired more than once — every hit as a
 * compact row, strongest first.
 */
function RuleGroup({
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
