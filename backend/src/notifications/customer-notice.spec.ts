import { describe, expect, it } from 'vitest';
import { renderNotice, reportedRefundIds, type NoticeContent, type NoticeOrder } from './customer-notice.js';

const order = (overrides: Partial<NoticeOrder>): NoticeOrder => ({
  orderId: 'o1',
  externalId: 'T-1',
  placedAt: '2026-11-21T08:00:00.000Z',
  total: { amountMinor: 8396, currency: 'USD' },
  shipment: 'stopped',
  refund: 'refunded',
  refundId: 're_1',
  refunded: { amountMinor: 8396, currency: 'USD' },
  ...overrides,
});

const content = (orders: NoticeOrder[], overrides: Partial<NoticeContent> = {}): NoticeContent => ({
  template: 'incident_notice',
  customerName: 'Ada',
  incidentNumber: 7,
  devicesBlocked: true,
  orders,
  ...overrides,
});

describe('customer notice', () => {
  it('lists every order and totals refunds per currency, never across them', () => {
    const notice = renderNotice(
      content([
        order({}),
        order({ orderId: 'o2', externalId: 'T-2', refundId: 're_2' }),
        order({
          orderId: 'o3',
          externalId: 'T-3',
          refundId: 're_3',
          total: { amountMinor: 1500, currency: 'JPY' },
          refunded: { amountMinor: 1500, currency: 'JPY' },
        }),
      ]),
    );
    for (const id of ['T-1', 'T-2', 'T-3']) expect(notice.text).toContain(`Order ${id}`);
    expect(notice.text).toContain('In total we refunded JPY 1500 and USD 167.92.');
    expect(notice.html).toContain('In total we refunded JPY 1500 and USD 167.92.');
    expect(notice.subject).toContain('incident 7');
  });

  it('never says a failed refund was made, and reports only the ones that were', () => {
    const failed = order({ orderId: 'o2', externalId: 'T-2', refund: 'failed', refundId: 're_2' });
    const text = renderNotice(content([order({}), failed])).text;
    expect(text).toContain('We could not refund this payment automatically');
    expect(text).toContain('In total we refunded USD 83.96.');
    expect(reportedRefundIds(content([order({}), failed]))).toEqual(['re_1']);
  });

  it('the follow-up lists only the refunds that failed', () => {
    const failed = order({ orderId: 'o2', externalId: 'T-2', refund: 'failed', refundId: 're_2' });
    const notice = renderNotice(content([order({}), failed], { template: 'refund_failed' }));
    expect(notice.subject).toMatch(/^Update on your refund/);
    expect(notice.text).toContain('T-2');
    expect(notice.text).not.toContain('T-1');
  });

  it('says in the subject only what was done: a run that refunded nothing never says refunded', () => {
    const subject = (orders: NoticeOrder[]) => renderNotice(content(orders)).subject;
    expect(subject([order({})])).toBe('Orders you did not place: cancelled and refunded (incident 7)');
    expect(subject([order({ refund: 'none', refundId: undefined, refunded: undefined })])).toBe(
      'Orders you did not place: cancelled (incident 7)',
    );
    expect(subject([order({ shipment: 'none' })])).toBe('Orders you did not place: refunded (incident 7)');
    expect(subject([order({ shipment: 'not_stopped', refund: 'failed' })])).toBe('Orders you did not place (incident 7)');
  });

  it('escapes everything the customer or the platform wrote in the HTML part', () => {
    const notice = renderNotice(content([order({ externalId: '<script>alert(1)</script>' })], { customerName: `O'Neil & "Sons" <b>` }));
    expect(notice.html).not.toContain('<script>');
    expect(notice.html).not.toContain('<b>');
    expect(notice.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(notice.html).toContain('O&#39;Neil &amp; &quot;Sons&quot; &lt;b&gt;');
    expect(notice.text).toContain(`Hello O'Neil & "Sons" <b>,`);
  });

  it('mentions the blocked device only when the run quarantined it', () => {
    expect(renderNotice(content([order({})], { devicesBlocked: false })).text).not.toMatch(/blocked the device/);
  });
});
