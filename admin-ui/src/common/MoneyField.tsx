import Typography from '@mui/material/Typography';
import { useFieldValue, useLocaleState, useTranslate, type FieldProps } from 'react-admin';
import { formatMoney } from './money';

export interface MoneyFieldProps extends FieldProps {
  /** Field holding the integer minor units, e.g. "totalMinor". */
  source: string;
  /** Field holding the ISO 4217 code (default "currency"). */
  currencySource?: string;
  /** Fixed currency, e.g. for order lines whose currency lives on the parent order. */
  currency?: string;
}

/**
 * Integer minor units + currency code → "$12.99", via the one formatter
 * (common/money.ts). Tabular figures so amounts line up in tables.
 */
export function MoneyField({ source, currencySource = 'currency', currency, emptyText, record }: MoneyFieldProps) {
  const minor = useFieldValue({ source, record });
  const currencyFromRecord = useFieldValue({ source: currencySource, record });
  const [locale] = useLocaleState();
  const translate = useTranslate();
  if (minor === undefined || minor === null || minor === '') {
    return (
      <Typography component="span" variant="body2">
        {emptyText ? translate(emptyText, { _: emptyText }) : ''}
      </Typography>
    );
  }
  return (
    <Typography component="span" variant="body2" sx={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}>
      {formatMoney(Number(minor), String(currency ?? currencyFromRecord ?? ''), locale)}
    </Typography>
  );
}
