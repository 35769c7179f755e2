import { useDataProvider, useLocaleState, useTranslate } from 'react-admin';
import { formatMoney } from '../common/money';
import { useFormatDuration } from '../incidents/IncidentFields';
import { apiPath, type AppDataProvider } from '../providers/dataProvider';
import type { Money, RunControl, RunFigures } from './runTypes';

/** `t('statuses.running')` → `resources.runs.statuses.running`. */
export const t = (key: string) => `resources.runs.${key}`;

/** POST a control to one run (`/api/runs/:id/<control>`); resolves with the run as it is now. */
export function useRunControl() {
  const dataProvider = useDataProvider<AppDataProvider>();
  return async (id: string, control: RunControl, body: Record<string, unknown>) =>
    (await dataProvider.call({ method: 'POST', path: apiPath('runs', id, control), body })).data;
}

/** Integers with the locale's grouping: 1234 → "1,234". */
export function useFormatCount() {
  const [locale] = useLocaleState();
  return (n: number | null | undefined) => (n ?? 0).toLocaleString(locale);
}

/**
 * Amounts of several currencies as one phrase through the one money
 * formatter: [$12,345.67, ¥890,000] → "$12,345.67 and ¥890,000".
 */
export function useFormatMoneyList() {
  const [locale] = useLocaleState();
  const translate = useTranslate();
  return (amounts: readonly Money[]) => {
    const parts = amounts.map((m) => formatMoney(Number(m.amountMinor), m.currency, locale));
    if (!parts.length) return translate(t('values.no_amount'));
    return new Intl.ListFormat(locale, { style: 'long', type: 'conjunction' }).format(parts);
  };
}

/** Throughput and time left as people read them: "12.5 / s", "≈ 3 min". */
export function useFormatPace() {
  const [locale] = useLocaleState();
  const translate = useTranslate();
  const duration = useFormatDuration();
  return {
    rate: (perSecond: number) =>
      translate(t('progress.rate'), { rate: perSecond.toLocaleString(locale, { maximumFractionDigits: perSecond < 10 ? 1 : 0 }) }),
    eta: (seconds: number | null) =>
      seconds === null ? '—' : seconds === 0 ? translate(t('progress.eta_done')) : `≈ ${duration(seconds)}`,
  };
}

/**
 * What a run will do, one sentence per action, with the exact figures of the
 * preview: "Refund 1,234 orders: $12,345.67 and ¥890,000".
 */
export function useScopeLines() {
  const translate = useTranslate();
  const count = useFormatCount();
  const moneyList = useFormatMoneyList();
  return (figures: RunFigures): { action: string; text: string }[] => {
    const lines: { action: string; text: string }[] = [];
    const stop = figures.stop_shipment;
    if (stop) {
      const detail = stop.byOperation
        .map((o) => translate(t(`scope.operations.${o.operation}`), { smart_count: o.orders, count: count(o.orders) }))
        .join(', ');
      lines.push({
        action: 'stop_shipment',
        text: translate(t(detail ? 'scope.stop_shipment' : 'scope.stop_shipment_none'), {
          smart_count: stop.orders,
          count: count(stop.orders),
          detail,
        }),
      });
    }
    const refund = figures.refund;
    if (refund) {
      lines.push({
        action: 'refund',
        text: translate(t(refund.totals.length ? 'scope.refund' : 'scope.refund_none'), {
          smart_count: refund.orders,
          count: count(refund.orders),
          amounts: moneyList(refund.totals),
        }),
      });
    }
    const notify = figures.notify;
    if (notify) {
      lines.push({
        action: 'notify',
        text: translate(t('scope.notify'), { smart_count: notify.customers, count: count(notify.customers) }),
      });
    }
    const devices = figures.quarantine_devices;
    if (devices) {
      lines.push({
        action: 'quarantine_devices',
        text: translate(t('scope.quarantine_devices'), { smart_count: devices.devices, count: count(devices.devices) }),
      });
    }
    return lines;
  };
}
