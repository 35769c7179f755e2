import { formatMoney, totalsByCurrency, type Money } from '../money/money.js';

/**
 * The customer notice: one e-mail per customer per incident listing every
 * affected order, what was refunded (per currency) and what happens next.
 * `NoticeContent` is the set of facts the notice states; it is fixed when
 * sending starts and stored on the outbox row, so a resend says the same
 * thing and a refund that fails afterwards can be checked against it.
 */
export type NoticeTemplate = 'incident_notice' | 'refund_failed';

export type ShipmentOutcome =
  /** The order never left or is on its way back: cancelled, label voided, intercepted. */
  | 'stopped'
  /** Delivered before we could act: a return is arranged. */
  | 'return_requested'
  /** We could not stop it (too late, or the provider refused). */
  | 'not_stopped'
  /** Not part of the run, or not decided yet. */
  | 'none';

export type RefundOutcome =
  /** Issued (Stripe may still be processing it). */
  | 'refunded'
  /** Made and then failed or cancelled at the bank, or refused: we are not done. */
  | 'failed'
  | 'already_refunded'
  | 'disputed'
  /** Nothing was charged. */
  | 'no_payment'
  | 'none';

export interface NoticeOrder {
  orderId: string;
  externalId: string;
  placedAt: string;
  total: Money;
  shipment: ShipmentOutcome;
  refund: RefundOutcome;
  /** Set when `refund` is `refunded` or `failed`: the provider's refund and its amount. */
  refundId?: string;
  refunded?: Money;
}

export interface NoticeContent {
  template: NoticeTemplate;
  customerName: string | null;
  incidentNumber: number;
  /** The run also quarantined the customer's devices. */
  devicesBlocked: boolean;
  orders: NoticeOrder[];
}

export interface RenderedNotice {
  subject: string;
  text: string;
  html: string;
}

/** The refunds this notice tells the customer were issued: what a later failure is checked against. */
export function reportedRefundIds(content: NoticeContent): string[] {
  return content.orders.filter((order) => order.refund === 'refunded' && order.refundId).map((order) => order.refundId!);
}

export function refundedTotals(content: NoticeContent): Money[] {
  return totalsByCurrency(content.orders.filter((order) => order.refund === 'refunded' && order.refunded).map((order) => order.refunded!));
}

const shipmentLine: Record<ShipmentOutcome, string | null> = {
  stopped: 'The shipment was stopped: nothing will be delivered, and you do not need to do anything.',
  return_requested:
    'It was already delivered. We have arranged a free return: the carrier will contact you to collect it; please keep the items packed.',
  not_stopped:
    'We could not stop the shipment in time. If a parcel arrives, please refuse it or keep it aside: we will collect it at no cost to you.',
  none: null,
};

const refundLine = (order: NoticeOrder): string | null => {
  switch (order.refund) {
    case 'refunded':
      return `Refunded: ${formatMoney(order.refunded ?? order.total)} to the card you paid with (it usually appears within 5–10 business days).`;
    case 'failed':
      return 'We could not refund this payment automatically. Our support team will contact you to return the money another way.';
    case 'already_refunded':
      return 'This payment had already been refunded.';
    case 'disputed':
      return 'You disputed this payment with your card issuer; the dispute will return the money to you.';
    case 'no_payment':
      return 'No payment was taken for this order.';
    case 'none':
      return null;
  }
};

/**
 * What the subject line says was done: only what the listed orders show
 * (a run that stopped shipments and refunded nothing must not say "refunded").
 */
function doneSummary(content: NoticeContent): string {
  const stopped = content.orders.some((order) => order.shipment === 'stopped' || order.shipment === 'return_requested');
  const refunded = content.orders.some((order) => order.refund === 'refunded');
  if (stopped && refunded) return ': cancelled and refunded';
  if (refunded) return ': refunded';
  if (stopped) return ': cancelled';
  return '';
}

export function renderNotice(content: NoticeContent): RenderedNotice {
  const greeting = `Hello${content.customerName ? ` ${content.customerName}` : ''},`;
  const totals = refundedTotals(content);
  const failed = content.orders.filter((order) => order.refund === 'failed');

  const intro =
    content.template === 'refund_failed'
      ? [
          'We wrote to you earlier about orders placed from your connected device that you did not make.',
          `A refund we reported as issued has since been declined by the bank, so the money has not reached you yet. Our support team will contact you to return it another way; you do not need to do anything.`,
        ]
      : [
          'Some orders were placed from your connected device that you did not make: the device was misused by someone else.',
          'Here is what we have done about each of them:',
        ];
  const listed = content.template === 'refund_failed' ? failed : content.orders;
  const orderLines = listed.map((order) => ({
    title: `Order ${order.externalId} of ${order.placedAt.slice(0, 10)} (${formatMoney(order.total)})`,
    lines: [shipmentLine[order.shipment], refundLine(order)].filter((line): line is string => line !== null),
  }));
  const summary =
    content.template === 'refund_failed' ? [] : totals.length > 0 ? [`In total we refunded ${totals.map(formatMoney).join(' and ')}.`] : [];
  const next = [
    `What happens next: ${content.devicesBlocked ? 'we have blocked the device from placing further orders until it is secured. ' : ''}Please change the password of your device account; if you see any other order you do not recognise, reply to this e-mail.`,
  ];
  const subject =
    content.template === 'refund_failed'
      ? `Update on your refund (incident ${content.incidentNumber})`
      : `Orders you did not place${doneSummary(content)} (incident ${content.incidentNumber})`;

  const text = [
    greeting,
    '',
    ...intro,
    '',
    ...orderLines.flatMap((order) => [`* ${order.title}`, ...order.lines.map((line) => `  ${line}`)]),
    '',
    ...summary,
    ...(summary.length ? [''] : []),
    ...next,
    '',
    'Recovery Desk',
  ].join('\n');

  const html = [
    '<!doctype html><html><body style="font-family: sans-serif; line-height: 1.4">',
    `<p>${escapeHtml(greeting)}</p>`,
    ...intro.map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`),
    '<ul>',
    ...orderLines.map(
      (order) => `<li><strong>${escapeHtml(order.title)}</strong>${order.lines.map((line) => `<br>${escapeHtml(line)}`).join('')}</li>`,
    ),
    '</ul>',
    ...summary.map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`),
    ...next.map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`),
    '<p>Recovery Desk</p>',
    '</body></html>',
  ].join('\n');

  return { subject, text, html };
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]!);
}
