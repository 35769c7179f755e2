import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { useLocaleState, useRecordContext, useTranslate, type FieldProps } from 'react-admin';
import { sortThresholds } from './thresholds';

export interface DetectionRule {
  id: string;
  title: string;
  description: string;
  enabled: boolean;
  thresholds: Record<string, number>;
  updatedAt: string;
}

/** Thresholds as "label value" pairs with their unit, e.g. "Window 72 h". */
export function ThresholdsField(_props: Partial<FieldProps>) {
  const record = useRecordContext<DetectionRule>();
  const translate = useTranslate();
  const [locale] = useLocaleState();
  if (!record?.thresholds) return null;
  const format = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
  return (
    <Box component="dl" sx={{ display: 'grid', gridTemplateColumns: 'max-content max-content', columnGap: 2, rowGap: 0.25, m: 0 }}>
      {sortThresholds(Object.keys(record.thresholds)).map((name) => (
        <Box key={name} sx={{ display: 'contents' }} data-threshold={name}>
          <Typography component="dt" variant="body2" color="text.secondary">
            {translate(`resources.detection-rules.thresholds.${name}.label`, { _: name })}
          </Typography>
          <Typography component="dd" variant="body2" sx={{ m: 0, fontVariantNumeric: 'tabular-nums', fontWeight: 500 }}>
            {translate(`resources.detection-rules.thresholds.${name}.value`, {
              _: format.format(record.thresholds[name]!),
              value: format.format(record.thresholds[name]!),
            })}
          </Typography>
        </Box>
      ))}
    </Box>
  );
}
