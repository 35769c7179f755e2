import { SmtpMailer } from '../../../backend/src/notifications/smtp-mailer.js';
import type { OutgoingMail } from '../../../backend/src/notifications/mailer.js';
import { freePort, type ChildServer } from '../child-server.js';
import { inParallel, type Target } from './target.js';

/**
 * The notices of a remediation: one message per order through the backend's own SmtpMailer
 * (one pooled nodemailer transport), each a customer notice of the size
 * and shape the backend renders (text and HTML, a non-ASCII character, its own Message-ID
 * and header).
 */
export async function smtpTarget(label: string, start: (port: number) => Promise<ChildServer>): Promise<Target> {
  const port = await freePort();
  const server = await start(port);
  const mailer = new SmtpMailer(`smtp://127.0.0.1:${port}`, 'Recovery Desk <desk@example.test>');
  let batch = 0;
  return {
    label,
    cpuMs: server.cpuMs,
    async prepare(units) {
      batch++;
      return {
        run: () => inParallel(units, 16, async (i) => void (await mailer.send(notice(`${label}-${batch}-${i}`)))),
        settle: async () => undefined,
      };
    },
    stop: async () => mailer.close(),
  };
}

function notice(id: string): OutgoingMail {
  const orders = [
    { number: `EXT-${id}-1`, total: '$83.96' },
    { number: `EXT-${id}-2`, total: '$41.50' },
  ];
  const lines = orders.flatMap((order) => [
    `* Order ${order.number} of 2026-11-18 (${order.total})`,
    '  The shipment was stopped: nothing will be delivered, and you do not need to do anything.',
    `  Refunded: ${order.total} to the card you paid with (it usually appears within 5–10 business days).`,
  ]);
  const text = [
    'Hello Jane Doe,',
    '',
    'Some orders were placed from your connected device that you did not make: the device was misused by someone else.',
    'Here is what we have done about each of them:',
    '',
    ...lines,
    '',
    'In total we refunded $125.46.',
    '',
    'What happens next: we have blocked the device from placing further orders until it is secured. Please change the password of your device account; if you see any other order you do not recognise, reply to this e-mail.',
    '',
    'Recovery Desk',
  ].join('\n');
  const html = [
    '<!doctype html><html><body style="font-family: sans-serif; line-height: 1.4">',
    '<p>Hello Jane Doe,</p>',
    '<p>Some orders were placed from your connected device that you did not make: the device was misused by someone else.</p>',
    '<p>Here is what we have done about each of them:</p>',
    '<ul>',
    ...orders.map(
      (order) =>
        `<li><strong>Order ${order.number} of 2026-11-18 (${order.total})</strong><br>The shipment was stopped: nothing will be delivered, and you do not need to do anything.<br>Refunded: ${order.total} to the card you paid with (it usually appears within 5–10 business days).</li>`,
    ),
    '</ul>',
    '<p>In total we refunded $125.46.</p>',
    '<p>What happens next: we have blocked the device from placing further orders until it is secured. Please change the password of your device account; if you see any other order you do not recognise, reply to this e-mail.</p>',
    '<p>Recovery Desk</p>',
    '</body></html>',
  ].join('\n');
  return {
    to: `customer-${id}@example.test`,
    subject: 'Orders you did not place: cancelled and refunded (incident 42)',
    text,
    html,
    messageId: `<${id}@example.test>`,
    headers: { 'X-Recovery-Desk-Notice': `notice_${id}` },
  };
}
