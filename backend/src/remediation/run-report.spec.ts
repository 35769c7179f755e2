import { describe, expect, it } from 'vitest';
import { estimateInterceptFee, expectedInterceptFees, type RunFigures } from './run-figures.js';
import { buildReport, executedValues, type ExecutedFigures } from './run-report.js';

const settings = { interceptFeeEstimates: { USD: 1600, JPY: 2500 } };

/** Four parcels in transit (three USD, one EUR) and two customers to notify. */
const preview: RunFigures = {
  actions: ['stop_shipment', 'notify'],
  orders: { confirmed: 4, excluded: 0, suspected: 0, confirmedAfterRequest: 0 },
  stop_shipment: {
    orders: 4,
    byOperation: [
      {
        operation: 'intercept',
        fulfilmentState: 'in_transit',
        orders: 4,
        labelCredit: [],
        interceptFee: [estimateInterceptFee('EUR', 1, settings), estimateInterceptFee('USD', 3, settings)],
      },
    ],
    skipped: [],
  },
  notify: { customers: 2, orders: 4, skipped: [] },
  skippedSample: [],
};

const executed = (interceptFees: (ExecutedFigures['stop_shipment'] & object)['interceptFees']): ExecutedFigures => ({
  stop_shipment: { succeeded: [{ operation: 'intercept', count: 4 }], skipped: [], failed: [], cancelled: 0, interceptFees },
  notify: { sent: 2, failed: 0, cancelled: 0, skipped: [], followUps: { sent: 1, failed: 0, open: 0 } },
});

describe('intercept fee estimates', () => {
  it('multiplies the configured fee per parcel, per currency, and says so when a currency has none', () => {
    expect(estimateInterceptFee('USD', 3, settings)).toEqual({
      currency: 'USD',
      orders: 3,
      perOrderMinor: 1600,
      amountMinor: 4800,
      estimated: true,
    });
    expect(estimateInterceptFee('EUR', 1, settings)).toEqual({
      currency: 'EUR',
      orders: 1,
      perOrderMinor: null,
      amountMinor: null,
      estimated: true,
    });
    expect(expectedInterceptFees(preview).map((fee) => fee.currency)).toEqual(['EUR', 'USD']);
    // A preview stored before fees were estimated has none.
    expect(expectedInterceptFees({ ...preview, stop_shipment: { ...preview.stop_shipment!, byOperation: [] } })).toEqual([]);
  });
});

describe('buildReport', () => {
  it('puts the fees charged beside the estimate, per currency, without counting them as differences', () => {
    const report = buildReport(
      'completed',
      preview,
      preview,
      executed([
        { currency: 'EUR', orders: 1, amountMinor: 1900 },
        { currency: 'USD', orders: 2, amountMinor: 3200 },
      ]),
      new Date('2026-11-25T10:00:00Z'),
    );
    expect(report.fees.intercept).toEqual([
      { currency: 'EUR', estimated: { orders: 1, amountMinor: null, perOrderMinor: null }, charged: { orders: 1, amountMinor: 1900 } },
      { currency: 'USD', estimated: { orders: 3, amountMinor: 4800, perOrderMinor: 1600 }, charged: { orders: 2, amountMinor: 3200 } },
    ]);
    expect(report.differences).toEqual([]);
    expect(report.matchesPreview).toBe(true);
  });

  it('counts customers notified by their one notice; a follow-up is reported apart, never as a difference', () => {
    const values = executedValues(executed([]));
    expect(values.get('notify.customers')).toBe(2);
    const report = buildReport('completed', preview, preview, executed([]), new Date('2026-11-25T10:00:00Z'));
    expect(report.figures).toContainEqual({ figure: 'notify.customers', preview: 2, planned: 2, executed: 2 });
    expect(report.summary).toBe('Completed: 4 shipments stopped; 2 notices sent (and 1 refund-failed follow-up); matches its preview');
    // Charged without an estimate (a run previewed before estimates, or a shipment that moved into transit).
    expect(
      buildReport(
        'completed',
        { ...preview, stop_shipment: undefined },
        null,
        executed([{ currency: 'GBP', orders: 1, amountMinor: 1400 }]),
        new Date(),
      ).fees.intercept,
    ).toEqual([{ currency: 'GBP', estimated: null, charged: { orders: 1, amountMinor: 1400 } }]);
  });
});
