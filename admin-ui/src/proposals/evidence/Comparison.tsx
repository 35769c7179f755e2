import Box from '@mui/material/Box';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';

/**
 * What was measured against what is usual, as two bars on one scale, so the
 * size of the deviation reads at a glance.
 */
export function Comparison({
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
