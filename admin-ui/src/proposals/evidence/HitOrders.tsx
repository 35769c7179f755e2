import Box from '@mui/material/Box';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { Link, useTranslate, type RaRecord } from 'react-admin';
import { mono, orderPath } from './format';

const ORDER_CHIPS = 12;

/** The orders a hit is about, as links; past a dozen, how many more. */
export function HitOrders({ orders, loading }: { orders: RaRecord[]; loading: boolean }) {
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
