import { Fragment, type ReactNode } from 'react';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Link from '@mui/material/Link';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { LinkBase, useLocaleState, useTranslate } from 'react-admin';
import { formatMoney } from '../common/money';
import { FulfilmentStateField } from '../orders/FulfilmentStateField';
import { RUN_ACTIONS, type EstimatedFee, type RunAction, type RunFigures } from './runTypes';
import { t, useFormatCount, useFormatMoneyList } from './useRunApi';

const num = { fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' } as const;

function Tile({
  label,
  children,
  caption,
  testId,
  value,
}: {
  label: string;
  children: ReactNode;
  caption?: ReactNode;
  testId: string;
  value?: number;
}) {
  return (
    <Paper variant="outlined" sx={{ px: 1.75, py: 1.25, minWidth: 0 }} data-testid={testId} data-value={value}>
      <Typography variant="caption" color="text.secondary" component="div" sx={{ fontWeight: 500, lineHeight: 1.4, mb: 0.25 }}>
        {label}
      </Typography>
      <Box sx={{ fontSize: '1.25rem', fontWeight: 600, lineHeight: 1.3, ...num }}>{children}</Box>
      {caption && (
        <Typography variant="caption" color="text.secondary" component="div">
          {caption}
        </Typography>
      )}
    </Paper>
  );
}

function Section({ title, children, testId }: { title: string; children: ReactNode; testId?: string }) {
  return (
    <Box component="section" data-testid={testId}>
      <Typography variant="subtitle2" component="h3" sx={{ fontWeight: 600, mb: 0.5 }}>
        {title}
      </Typography>
      {children}
    </Box>
  );
}

const headCell = { color: 'text.secondary', fontWeight: 500, fontSize: '0.75rem' } as const;

/** The head row of the preview's tables: column keys under `preview.columns`, numbers right-aligned. */
function HeadRow({ columns }: { columns: { key: string; numeric?: boolean }[] }) {
  const translate = useTranslate();
  return (
    <TableHead>
      <TableRow>
        {columns.map(({ key, numeric }) => (
          <TableCell key={key} sx={headCell} align={numeric ? 'right' : undefined}>
            {translate(t(`preview.columns.${key}`))}
          </TableCell>
        ))}
      </TableRow>
    </TableHead>
  );
}

/** What a table says when it has no rows. */
function EmptyNote({ text, testId }: { text: string; testId?: string }) {
  const translate = useTranslate();
  return (
    <Typography variant="body2" color="text.secondary" data-testid={testId}>
      {translate(t(text))}
    </Typography>
  );
}

/**
 * The carrier's intercept fees the run is expected to pay, per currency, labelled
 * estimated: the provider names the fee only when it intercepts (INTERCEPT_FEE_ESTIMATES).
 */
function InterceptFeeEstimate({ fees }: { fees: EstimatedFee[] }) {
  const translate = useTranslate();
  const count = useFormatCount();
  const [locale] = useLocaleState();
  return (
    <Box data-testid="run-preview-intercept-fees">
      {fees.map((fee) => (
        <Typography
          key={fee.currency}
          variant="caption"
          color="warning.dark"
          component="div"
          data-testid="run-preview-intercept-fee"
          data-currency={fee.currency}
          data-minor={fee.amountMinor ?? ''}
          data-orders={fee.orders}
        >
          {fee.amountMinor === null || fee.perOrderMinor === null
            ? translate(t('preview.intercept_fee_unknown'), { currency: fee.currency, smart_count: fee.orders, count: count(fee.orders) })
            : translate(t('preview.intercept_fee'), {
                amount: formatMoney(Number(fee.amountMinor), fee.currency, locale),
                each: formatMoney(Number(fee.perOrderMinor), fee.currency, locale),
                smart_count: fee.orders,
                count: count(fee.orders),
              })}{' '}
          <Chip
            component="span"
            size="small"
            variant="outlined"
            label={translate(t('preview.estimated'))}
            sx={{ height: 16, fontSize: '0.65rem', '& .MuiChip-label': { px: 0.5 } }}
          />
        </Typography>
      ))}
    </Box>
  );
}

/** Per fulfilment state, how the shipment is stopped and for how many orders. */
function StopShipmentTable({ figures }: { figures: NonNullable<RunFigures['stop_shipment']> }) {
  const translate = useTranslate();
  const count = useFormatCount();
  const moneyList = useFormatMoneyList();
  if (!figures.byOperation.length) {
    return <EmptyNote text="preview.no_shipments" />;
  }
  return (
    <Table size="small">
      <HeadRow columns={[{ key: 'fulfilment' }, { key: 'operation' }, { key: 'orders', numeric: true }]} />
      <TableBody>
        {figures.byOperation.map((o) => (
          <TableRow key={o.fulfilmentState} data-testid={`run-preview-stop-${o.operation}`} data-orders={o.orders}>
            <TableCell>
              <FulfilmentStateField record={{ id: o.fulfilmentState, fulfilmentState: o.fulfilmentState }} />
            </TableCell>
            <TableCell>
              {translate(t(`operations.${o.operation}`))}
              {o.labelCredit.length > 0 && (
                <Typography variant="caption" color="success.main" component="div">
                  {translate(t('preview.label_credit'), { amounts: moneyList(o.labelCredit) })}
                </Typography>
              )}
              {o.interceptFee && o.interceptFee.length > 0 && <InterceptFeeEstimate fees={o.interceptFee} />}
            </TableCell>
            <TableCell align="right" sx={num}>
              {count(o.orders)}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/** Refunds per fulfilment state and currency, then the total of each currency. */
function RefundTable({ figures }: { figures: NonNullable<RunFigures['refund']> }) {
  const translate = useTranslate();
  const count = useFormatCount();
  const [locale] = useLocaleState();
  if (!figures.byFulfilmentState.length) {
    return <EmptyNote text="preview.no_refunds" />;
  }
  return (
    <Table size="small">
      <HeadRow columns={[{ key: 'fulfilment' }, { key: 'orders', numeric: true }, { key: 'amount', numeric: true }]} />
      <TableBody>
        {figures.totals.map((total) => (
          <Fragment key={total.currency}>
            {figures.byFulfilmentState
              .filter((row) => row.currency === total.currency)
              .map((row) => (
                <TableRow
                  key={`${row.fulfilmentState}|${row.currency}`}
                  data-testid="run-preview-refund-row"
                  data-state={row.fulfilmentState}
                  data-currency={row.currency}
                  data-minor={row.amountMinor}
                >
                  <TableCell>
                    <FulfilmentStateField record={{ id: row.fulfilmentState, fulfilmentState: row.fulfilmentState }} />
                  </TableCell>
                  <TableCell align="right" sx={num}>
                    {count(row.orders)}
                  </TableCell>
                  <TableCell align="right" sx={num}>
                    {formatMoney(Number(row.amountMinor), row.currency, locale)}
                  </TableCell>
                </TableRow>
              ))}
            <TableRow
              sx={{ '& td': { fontWeight: 600, bgcolor: 'action.hover' } }}
              data-testid="run-preview-refund-total"
              data-currency={total.currency}
            >
              <TableCell>{translate(t('preview.total_currency'), { currency: total.currency })}</TableCell>
              <TableCell align="right" sx={num}>
                {count(total.orders)}
              </TableCell>
              <TableCell align="right" sx={num}>
                {formatMoney(Number(total.amountMinor), total.currency, locale)}
              </TableCell>
            </TableRow>
          </Fragment>
        ))}
      </TableBody>
    </Table>
  );
}

const unitOf: Record<RunAction, 'orders' | 'customers' | 'devices'> = {
  stop_shipment: 'orders',
  refund: 'orders',
  notify: 'customers',
  quarantine_devices: 'devices',
};

/** Every skipped order, customer or device, by action and reason, with a few example orders. */
function SkippedTable({ figures }: { figures: RunFigures }) {
  const translate = useTranslate();
  const count = useFormatCount();
  const rows = RUN_ACTIONS.flatMap((action) => (figures[action]?.skipped ?? []).map((s) => ({ action, ...s })));
  if (!rows.length) {
    return <EmptyNote text="preview.nothing_skipped" testId="run-preview-nothing-skipped" />;
  }
  return (
    <Table size="small">
      <HeadRow columns={[{ key: 'action' }, { key: 'reason' }, { key: 'count', numeric: true }]} />
      <TableBody>
        {rows.map((row) => {
          const examples = figures.skippedSample.filter((s) => s.action === row.action && s.reason === row.reason);
          return (
            <TableRow
              key={`${row.action}|${row.reason}`}
              data-testid="run-preview-skipped"
              data-action={row.action}
              data-reason={row.reason}
              data-count={row.count}
            >
              <TableCell sx={{ whiteSpace: 'nowrap', verticalAlign: 'top' }}>{translate(t(`run_actions_short.${row.action}`))}</TableCell>
              <TableCell sx={{ verticalAlign: 'top' }}>
                <Typography variant="body2" sx={{ fontWeight: 500 }}>
                  {translate(t(`skip_reasons.${row.reason}`), { _: row.reason })}
                </Typography>
                <Typography variant="caption" color="text.secondary" component="div">
                  {translate(t(`skip_explanations.${row.reason}`), { _: '' })}
                </Typography>
                {examples.length > 0 && (
                  <Typography variant="caption" component="div" sx={{ mt: 0.25 }}>
                    {translate(t('preview.examples'))}{' '}
                    {examples.map((e, i) => (
                      <span key={e.orderId}>
                        {i > 0 && ', '}
                        <Link component={LinkBase} to={`/orders/${encodeURIComponent(e.orderId)}/show`} sx={{ fontFamily: 'monospace' }}>
                          {e.externalId}
                        </Link>
                      </span>
                    ))}
                  </Typography>
                )}
              </TableCell>
              <TableCell align="right" sx={{ ...num, verticalAlign: 'top' }}>
                {translate(t(`units.${unitOf[row.action]}`), { smart_count: row.count, count: count(row.count) })}
              </TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}

/**
 * A run's figures as the dry-run preview computed them (or as planning did):
 * headline tiles, then how each shipment is stopped, what is refunded per
 * fulfilment state and currency, and everything skipped with its reason.
 */
export function PreviewFigures({
  figures,
  testId = 'run-preview',
  columns = 2,
}: {
  figures: RunFigures;
  testId?: string;
  columns?: 1 | 2;
}) {
  const translate = useTranslate();
  const count = useFormatCount();
  const [locale] = useLocaleState();
  const { orders } = figures;
  const notes = [
    orders.suspected > 0 && translate(t('preview.note_suspected'), { smart_count: orders.suspected, count: count(orders.suspected) }),
    orders.excluded > 0 && translate(t('preview.note_excluded'), { smart_count: orders.excluded, count: count(orders.excluded) }),
    orders.confirmedAfterRequest > 0 &&
      translate(t('preview.note_confirmed_later'), {
        smart_count: orders.confirmedAfterRequest,
        count: count(orders.confirmedAfterRequest),
      }),
  ].filter(Boolean) as string[];

  return (
    <Box data-testid={testId} sx={{ display: 'grid', gap: 2.5 }}>
      <Box sx={{ display: 'grid', gap: 1.5, gridTemplateColumns: { xs: '1fr 1fr', sm: 'repeat(auto-fill, minmax(140px, 1fr))' } }}>
        <Tile label={translate(t('preview.tiles.orders'))} testId={`${testId}-orders`} value={orders.confirmed}>
          {count(orders.confirmed)}
        </Tile>
        {figures.stop_shipment && (
          <Tile label={translate(t('preview.tiles.stop_shipment'))} testId={`${testId}-stop`} value={figures.stop_shipment.orders}>
            {count(figures.stop_shipment.orders)}
          </Tile>
        )}
        {figures.refund && (
          <Tile
            label={translate(t('preview.tiles.refund'))}
            testId={`${testId}-refund`}
            value={figures.refund.orders}
            caption={translate(t('units.orders'), { smart_count: figures.refund.orders, count: count(figures.refund.orders) })}
          >
            {figures.refund.totals.length === 0 && <span>—</span>}
            {figures.refund.totals.map((total) => (
              <Box
                key={total.currency}
                data-testid={`${testId}-refund-${total.currency}`}
                data-currency={total.currency}
                data-minor={total.amountMinor}
                data-orders={total.orders}
              >
                {formatMoney(Number(total.amountMinor), total.currency, locale)}
              </Box>
            ))}
          </Tile>
        )}
        {figures.notify && (
          <Tile
            label={translate(t('preview.tiles.notify'))}
            testId={`${testId}-customers`}
            value={figures.notify.customers}
            caption={translate(t('preview.notify_orders'), { smart_count: figures.notify.orders, count: count(figures.notify.orders) })}
          >
            {count(figures.notify.customers)}
          </Tile>
        )}
        {figures.quarantine_devices && (
          <Tile
            label={translate(t('preview.tiles.quarantine_devices'))}
            testId={`${testId}-devices`}
            value={figures.quarantine_devices.devices}
            caption={
              figures.quarantine_devices.ordersWithoutDevice > 0
                ? translate(t('preview.orders_without_device'), {
                    smart_count: figures.quarantine_devices.ordersWithoutDevice,
                    count: count(figures.quarantine_devices.ordersWithoutDevice),
                  })
                : undefined
            }
          >
            {count(figures.quarantine_devices.devices)}
          </Tile>
        )}
      </Box>
      {notes.length > 0 && (
        <Stack spacing={0.25}>
          {notes.map((note) => (
            <Typography key={note} variant="body2" color="text.secondary">
              {note}
            </Typography>
          ))}
        </Stack>
      )}
      {(figures.stop_shipment || figures.refund) && (
        <Box
          sx={{
            display: 'grid',
            gap: 2.5,
            gridTemplateColumns: { xs: '1fr', md: columns === 2 && figures.stop_shipment && figures.refund ? '1fr 1fr' : '1fr' },
          }}
        >
          {figures.stop_shipment && (
            <Section title={translate(t('preview.sections.stop_shipment'))} testId={`${testId}-stop-section`}>
              <StopShipmentTable figures={figures.stop_shipment} />
            </Section>
          )}
          {figures.refund && (
            <Section title={translate(t('preview.sections.refund'))} testId={`${testId}-refund-section`}>
              <RefundTable figures={figures.refund} />
            </Section>
          )}
        </Box>
      )}
      <Section title={translate(t('preview.sections.skipped'))} testId={`${testId}-skipped-section`}>
        <SkippedTable figures={figures} />
      </Section>
    </Box>
  );
}
