import { useEffect, useRef, useState, type ChangeEvent } from 'react';
import InputAdornment from '@mui/material/InputAdornment';
import TextField from '@mui/material/TextField';
import { FieldTitle, FormDataConsumer, useInput, useResourceContext, useTranslate } from 'react-admin';
import { visibleFilterHelperText } from '../common/filterHelperText';
import { formatMoneyInput, isCurrencyCode, tryParseMoneyInput } from '../common/money';

interface AmountFilterInputProps {
  /** Filter key holding integer minor units, e.g. "totalMin". */
  source: string;
  /** Filter key holding the ISO 4217 code the amount is in. */
  currencySource?: string;
  label?: string;
  alwaysOn?: boolean;
  /** Set by FilterForm; ignored (this input renders its own helper). */
  helperText?: unknown;
  /** Set by FilterForm; ignored. */
  resource?: string;
  record?: unknown;
  defaultValue?: unknown;
  size?: 'small' | 'medium';
}

type MinorValue = number | string | null | undefined;

const isEmpty = (value: MinorValue) => value === undefined || value === null || value === '';

/**
 * A money filter typed in major units ("12.99") and stored in the filter as
 * integer minor units (1299), the way the API compares amounts.
 *
 * Minor units only mean something together with a currency, so the input is
 * disabled until the currency filter holds a valid code. The typed text is
 * what the user meant: when the currency changes it is re-read in the new
 * currency ("100" USD → 10000, then "100" JPY → 100), and text that does not
 * fit the currency ("12.999" for USD) is shown as an error and not applied.
 */
export function AmountFilterInput({ source, currencySource = 'currency', label, size }: AmountFilterInputProps) {
  // Read both values from one form snapshot: when the list resets the filter
  // form (e.g. from the URL), currency and amount change together.
  return (
    <FormDataConsumer>
      {({ formData }) => (
        <AmountInputView source={source} currency={formData[currencySource]} value={formData[source]} label={label} size={size} />
      )}
    </FormDataConsumer>
  );
}

interface AmountInputViewProps {
  source: string;
  currency: unknown;
  value: MinorValue;
  label?: string;
  size?: 'small' | 'medium';
}

function AmountInputView({ source, currency, value, label, size = 'small' }: AmountInputViewProps) {
  const translate = useTranslate();
  const resource = useResourceContext();
  const { field, id } = useInput({ source });
  const hasCurrency = isCurrencyCode(currency);

  const [text, setText] = useState(() => (hasCurrency && typeof value === 'number' ? formatMoneyInput(value, currency) : ''));
  const [error, setError] = useState<string | undefined>();
  const previous = useRef({ currency, value });

  const apply = (nextText: string, nextCurrency: unknown) => {
    if (nextText.trim() === '' || !isCurrencyCode(nextCurrency)) {
      setError(undefined);
      if (!isEmpty(value)) field.onChange(null);
      return;
    }
    const parsed = tryParseMoneyInput(nextText, nextCurrency);
    if (parsed.ok) {
      setError(undefined);
      if (parsed.minor !== value) field.onChange(parsed.minor);
    } else {
      const { reason, exponent } = parsed.error;
      const key = reason === 'too_many_decimals' && exponent === 0 ? 'too_many_decimals_none' : reason;
      setError(translate(`app.money.errors.${key}`, { smart_count: exponent ?? 0, currency: nextCurrency }));
      if (!isEmpty(value)) field.onChange(null);
    }
  };

  useEffect(() => {
    const last = previous.current;
    previous.current = { currency, value };
    if (last.value !== value) {
      // Our own onChange echoing back needs nothing; an outside change (URL,
      // "clear filters") replaces the text.
      const parsed = isCurrencyCode(currency) ? tryParseMoneyInput(text, currency) : undefined;
      if (parsed?.ok && parsed.minor === value) return;
      if (isEmpty(value)) {
        if (!error) setText('');
        return;
      }
      const minor = Number(value);
      if (isCurrencyCode(currency) && Number.isSafeInteger(minor)) {
        setText(formatMoneyInput(minor, currency));
        setError(undefined);
      } else {
        // An amount without a currency (e.g. a hand-edited URL) cannot be
        // shown in major units; drop it rather than filter on a guess.
        field.onChange(null);
      }
      return;
    }
    if (last.currency !== currency) apply(text, currency);
    // Deliberately keyed on the form values only: text/error are this input's own state.
  }, [currency, value]);

  const onChange = (event: ChangeEvent<HTMLInputElement>) => {
    setText(event.target.value);
    apply(event.target.value, currency);
  };

  const helper = !hasCurrency
    ? translate('resources.orders.helpers.amount_needs_currency')
    : (error ?? translate('resources.orders.helpers.amount_major_units', { currency }));

  return (
    <TextField
      id={id}
      name={field.name}
      inputRef={field.ref}
      onBlur={field.onBlur}
      value={text}
      onChange={onChange}
      disabled={!hasCurrency}
      error={Boolean(error)}
      size={size}
      label={<FieldTitle label={label} source={source} resource={resource} />}
      helperText={helper}
      slotProps={{
        htmlInput: { inputMode: 'decimal', 'data-testid': `amount-filter-${source}` },
        input: hasCurrency ? { endAdornment: <InputAdornment position="end">{currency}</InputAdornment> } : undefined,
      }}
      sx={{ width: 200, ...visibleFilterHelperText }}
    />
  );
}
