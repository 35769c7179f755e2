import Box from '@mui/material/Box';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useLocaleState, useTranslate } from 'react-admin';
import { formatMoney } from '../common/money';
import type { RunFigures } from './runTypes';
import { t, useFormatCount } from './useRunApi';
import { Section, Tile } from './PreviewParts';
import { RefundTable, SkippedTable, StopShipmentTable } from './PreviewTables';

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
