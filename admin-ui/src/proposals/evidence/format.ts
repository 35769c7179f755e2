import { useLocaleState, useTranslate } from 'react-admin';

/** Evidence is stored as JSON the rules wrote: its facts are read leniently. */
export const str = (value: unknown) => (typeof value === 'string' ? value : value == null ? '' : String(value));
export const num = (value: unknown) => (typeof value === 'number' ? value : Number(value));

export const mono = { fontFamily: 'monospace' };

export const orderPath = (id: string) => `/orders/${encodeURIComponent(id)}/show`;
export const devicePath = (id: string) => `/devices/${encodeURIComponent(id)}/show`;

/** `t('model')` for `resources.proposals.evidence.model`. */
export function useEvidenceTranslate() {
  const translate = useTranslate();
  return (key: string, args?: Record<string, unknown>) => translate(`resources.proposals.evidence.${key}`, args);
}

/** Counts and rates as the locale writes them, up to two decimals. */
export function useCountFormat() {
  const [locale] = useLocaleState();
  return (value: number) => new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(value);
}
