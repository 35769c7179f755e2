import Box from '@mui/material/Box';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { useTheme } from '@mui/material/styles';
import { useLocaleState, useTranslate } from 'react-admin';
import { formatMoney } from '../common/money';
import { l, type Bucket, type RecoveryPoint } from './ledgerTypes';

const W = 720;
const H = 240;
const M = { top: 12, right: 16, bottom: 28, left: 104 };
const bucketMs: Record<Bucket, number> = { day: 86_400_000, hour: 3_600_000 };

/**
 * Gridline values in whole minor units (1, 2 or 5 × 10^k apart), so every
 * label goes through the money formatter as an exact integer.
 */
export function niceTicks(lo: number, hi: number, count = 4): number[] {
  const raw = (hi - lo || 1) / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = Math.max(1, Math.round(([1, 2, 5, 10].find((m) => m * magnitude >= raw) ?? 10) * magnitude));
  const ticks: number[] = [];
  for (let v = Math.floor(lo / step) * step; v <= Math.ceil(hi / step) * step; v += step) ticks.push(v);
  return ticks;
}

/**
 * Recovery over time of ONE currency, hand-drawn in SVG (no chart library):
 * bars for what was refunded in each bucket (net of failed refunds), a line
 * for the cumulative net loss. Buckets sit at their place in time; those
 * without entries are gaps. The figures are also in a table behind "Show the
 * figures". Positions are geometry; amounts are only ever shown through the
 * one money formatter.
 */
export function RecoveryChart({
  points,
  bucket,
  currency,
  testId,
}: {
  points: RecoveryPoint[];
  bucket: Bucket;
  currency: string;
  testId: string;
}) {
  const translate = useTranslate();
  const theme = useTheme();
  const [locale] = useLocaleState();
  const money = (minor: number) => formatMoney(minor, currency, locale);
  const when = new Intl.DateTimeFormat(locale, {
    timeZone: 'UTC',
    month: 'short',
    day: 'numeric',
    ...(bucket === 'hour' ? { hour: '2-digit', minute: '2-digit' } : { year: 'numeric' }),
  });
  if (!points.length) return null;

  const times = points.map((p) => Date.parse(p.at));
  const first = times[0]!;
  const slots = Math.round((times[times.length - 1]! - first) / bucketMs[bucket]) + 1;
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  const slotW = plotW / slots;
  const xOf = (i: number) => M.left + ((times[i]! - first) / bucketMs[bucket]) * slotW;

  const ticks = niceTicks(
    Math.min(0, ...points.map((p) => Math.min(p.refundedMinor, p.cumulativeNetLossMinor))),
    Math.max(0, ...points.map((p) => Math.max(p.refundedMinor, p.cumulativeNetLossMinor))),
  );
  const lo = ticks[0]!;
  const hi = ticks[ticks.length - 1]!;
  const yOf = (v: number) => M.top + ((hi - v) / (hi - lo || 1)) * plotH;
  const barW = Math.min(40, Math.max(1, slotW * 0.6));
  const line = points.map((p, i) => `${(xOf(i) + slotW / 2).toFixed(1)},${yOf(p.cumulativeNetLossMinor).toFixed(1)}`).join(' ');
  const labelled = [...new Set([0, Math.floor((points.length - 1) / 2), points.length - 1])];
  const colors = {
    refunded: theme.palette.info.main,
    cumulative: theme.palette.error.main,
    grid: theme.palette.divider,
    text: theme.palette.text.secondary,
  };
  const last = points[points.length - 1]!;
  const bucketName = translate(l(`charts.bucket_names.${bucket}`));

  return (
    <Box data-testid={`${testId}-recovery-chart`} data-currency={currency} data-points={points.length}>
      <Box
        component="svg"
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-label={translate(l('charts.recovery_aria'), { currency, smart_count: points.length, net: money(last.cumulativeNetLossMinor) })}
        sx={{ width: '100%', height: 'auto', maxHeight: 280, display: 'block', fontFamily: theme.typography.fontFamily }}
      >
        {ticks.map((v) => (
          <g key={v}>
            <line x1={M.left} x2={W - M.right} y1={yOf(v)} y2={yOf(v)} stroke={colors.grid} strokeWidth={v === 0 ? 1.5 : 1} />
            <text x={M.left - 6} y={yOf(v)} dy="0.32em" textAnchor="end" fontSize={11} fill={colors.text}>
              {money(v)}
            </text>
          </g>
        ))}
        {points.map((p, i) => (
          <rect
            key={p.at}
            x={xOf(i) + (slotW - barW) / 2}
            width={barW}
            y={Math.min(yOf(p.refundedMinor), yOf(0))}
            height={Math.abs(yOf(0) - yOf(p.refundedMinor))}
            fill={colors.refunded}
            opacity={0.75}
          >
            <title>{`${when.format(times[i])}: ${translate(l('charts.refunded'), { bucket: bucketName })} ${money(p.refundedMinor)}`}</title>
          </rect>
        ))}
        <polyline points={line} fill="none" stroke={colors.cumulative} strokeWidth={2} strokeLinejoin="round" />
        {points.map((p, i) => (
          <circle
            key={p.at}
            cx={xOf(i) + slotW / 2}
            cy={yOf(p.cumulativeNetLossMinor)}
            r={points.length > 60 ? 1.5 : 3}
            fill={colors.cumulative}
          >
            <title>{`${when.format(times[i])}: ${translate(l('charts.cumulative'))} ${money(p.cumulativeNetLossMinor)}`}</title>
          </circle>
        ))}
        {labelled.map((i) => (
          <text
            key={i}
            x={Math.min(Math.max(xOf(i) + slotW / 2, M.left + 40), W - M.right - 40)}
            y={H - 8}
            textAnchor="middle"
            fontSize={11}
            fill={colors.text}
          >
            {when.format(times[i])}
          </text>
        ))}
      </Box>
      <Stack direction="row" spacing={3} sx={{ mt: 0.5, flexWrap: 'wrap' }} aria-hidden>
        <Legend color={colors.refunded} label={translate(l('charts.refunded'), { bucket: bucketName })} square />
        <Legend color={colors.cumulative} label={translate(l('charts.cumulative'))} />
      </Stack>
      <Box component="details" sx={{ mt: 1, '& summary': { cursor: 'pointer', typography: 'body2', color: 'primary.main' } }}>
        <summary>{translate(l('charts.show_data'))}</summary>
        <Box sx={{ overflowX: 'auto', maxHeight: 360 }}>
          <Table size="small" stickyHeader>
            <TableHead>
              <TableRow>
                <TableCell>{translate(l('charts.at'))}</TableCell>
                <TableCell align="right">{translate(l('charts.cost'))}</TableCell>
                <TableCell align="right">{translate(l('charts.recovered'))}</TableCell>
                <TableCell align="right">{translate(l('charts.refunded'), { bucket: bucketName })}</TableCell>
                <TableCell align="right">{translate(l('charts.net'))}</TableCell>
                <TableCell align="right">{translate(l('charts.cumulative'))}</TableCell>
              </TableRow>
            </TableHead>
            <TableBody sx={{ '& td': { fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' } }}>
              {points.map((p, i) => (
                <TableRow key={p.at} data-testid={`${testId}-recovery-point`} data-at={p.at} data-cumulative={p.cumulativeNetLossMinor}>
                  <TableCell>{when.format(times[i])}</TableCell>
                  <TableCell align="right">{money(p.costMinor)}</TableCell>
                  <TableCell align="right">{money(p.recoveredMinor)}</TableCell>
                  <TableCell align="right">{money(p.refundedMinor)}</TableCell>
                  <TableCell align="right">{money(p.netLossMinor)}</TableCell>
                  <TableCell align="right">{money(p.cumulativeNetLossMinor)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Box>
      </Box>
    </Box>
  );
}

function Legend({ color, label, square }: { color: string; label: string; square?: boolean }) {
  return (
    <Stack direction="row" spacing={0.75} sx={{ alignItems: 'center' }}>
      <Box sx={{ width: square ? 12 : 18, height: square ? 12 : 3, bgcolor: color, borderRadius: square ? 0.5 : 0 }} />
      <Typography variant="caption" color="text.secondary">
        {label}
      </Typography>
    </Stack>
  );
}
