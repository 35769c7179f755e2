import { describe, expect, it } from 'vitest';
import { assessApproval, differences, figureValues, hasWork, type RunFigures } from './run-figures.js';
import { controlProblem } from './run-lifecycle.js';

const figures = (refund: { currency: string; amountMinor: number }[]): RunFigures => ({
  actions: ['refund'],
  orders: { confirmed: 3, excluded: 0, suspected: 0, confirmedAfterRequest: 0 },
  refund: {
    orders: refund.length,
    totals: refund.map((t) => ({ ...t, orders: 1 })),
    byFulfilmentState: [],
    skipped: [{ reason: 'disputed', count: 1 }],
  },
  skippedSample: [],
});

describe('assessApproval', () => {
  const thresholds = { USD: 50000, JPY: 5000000 };

  it('needs approval only above a currency’s threshold, never comparing across currencies', () => {
    expect(assessApproval(figures([{ currency: 'USD', amountMinor: 50000 }]), thresholds)).toEqual({ required: false, over: [] });
    expect(
      assessApproval(
        figures([
          { currency: 'JPY', amountMinor: 4999999 },
          { currency: 'USD', amountMinor: 50001 },
        ]),
        thresholds,
      ),
    ).toEqual({ required: true, over: [{ currency: 'USD', amountMinor: 50001, thresholdMinor: 50000 }] });
  });

  it('always needs approval for a currency without a threshold', () => {
    expect(assessApproval(figures([{ currency: 'EUR', amountMinor: 1 }]), thresholds)).toEqual({
      required: true,
      over: [{ currency: 'EUR', amountMinor: 1, thresholdMinor: null }],
    });
  });
});

describe('figure comparison', () => {
  it('lists every figure that differs, a missing one counting as zero', () => {
    const preview = figureValues(figures([{ currency: 'USD', amountMinor: 900 }]));
    const executed = new Map([
      ['refund.orders', 1],
      ['refund.amount_minor.USD', 800],
      ['refund.skipped.disputed', 1],
      ['refund.failed.card_declined', 1],
    ]);
    expect(differences(preview, executed)).toEqual([
      { figure: 'refund.amount_minor.USD', expected: 900, actual: 800 },
      { figure: 'refund.failed.card_declined', expected: 0, actual: 1 },
    ]);
  });

  it('knows a run that would do nothing', () => {
    expect(hasWork(figures([]))).toBe(false);
    expect(hasWork(figures([{ currency: 'USD', amountMinor: 1 }]))).toBe(true);
  });
});

describe('controlProblem', () => {
  it('names the state and what the control needs', () => {
    expect(controlProblem('resume', 'RUN-0001', 'paused')).toBeNull();
    expect(controlProblem('resume', 'RUN-0001', 'cancelled')).toBe(
      'RUN-0001 is cancelled; resuming needs a run that is paused (a cancelled run is final; request a new run for what is left)',
    );
    expect(controlProblem('approve', 'RUN-0001', 'queued')).toBe('RUN-0001 is queued; approval needs a run that is awaiting approval');
  });
});
