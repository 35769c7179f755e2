/** The preview's tables: how shipments are stopped, what is refunded per state and currency, what is skipped and why. */
import { Fragment } from 'react';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Link from '@mui/material/Link';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { LinkBase, useLocaleState, useTranslate } from 'react-admin';
import { formatMoney } from '../common/money';
import { FulfilmentStateField } from '../orders/FulfilmentStateField';
import { RUN_ACTIONS, type EstimatedFee, type RunAction, type RunFigures } from './runTypes';
import { t, useFormatCount, useFormatMoneyList } from './useRunApi';
import { EmptyNote, HeadRow, num } from './PreviewParts';

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
export function StopShipmentTable({ figures }: { figures: NonNullable<RunFigures['stop_shipment']> }) {
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
export function RefundTable({ figures }: { figures: NonNullable<RunFigures['refund']> }) {
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
export function SkippedTable({ figures }: { figures: RunFigures }) {
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
