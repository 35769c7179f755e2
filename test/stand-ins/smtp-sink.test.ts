import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSmtpSink, type SmtpSinkProcess } from './smtp-sink.js';

/**
 * The SMTP sink with the real client the backend will use (nodemailer over
 * plain SMTP), read back over its HTTP API.
 */
let sink: SmtpSinkProcess;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'smtp-sink-'));
  sink = await startSmtpSink({ DATA_FILE: join(dataDir, 'smtp.jsonl') });
});

beforeEach(async () => {
  expect((await fetch(`${sink.httpUrl}/messages`, { method: 'DELETE' })).status).toBe(200);
});

afterAll(async () => {
  await sink?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

function transport(auth?: { user: string; pass: string }) {
  return nodemailer.createTransport({ url: sink.smtpUrl, ...(auth ? { auth } : {}) });
}

describe('receiving', () => {
  it('accepts a text + HTML message from nodemailer and serves it over HTTP', async () => {
    const sent = await transport().sendMail({
      from: 'Recovery Desk <desk@shop.example>',
      to: 'Ada <ada@example.com>',
      bcc: 'audit@shop.example',
      subject: 'Your orders from device PRN-7 were cancelled',
      text: 'We cancelled 3 orders and refunded $42.00.',
      html: '<p>We cancelled <b>3 orders</b> and refunded $42.00.</p>',
      messageId: '<notice-incident-1-customer-9@recovery-desk>',
    });
    expect(sent.response).toMatch(/^250 Queued as msg_/);
    const id = sent.response.split(' ').at(-1)!;

    const listed = await sink.get('/messages');
    expect(listed.body).toEqual({
      total: 1,
      data: [
        {
          id,
          from: '"Recovery Desk" <desk@shop.example>',
          to: ['ada@example.com'],
          subject: 'Your orders from device PRN-7 were cancelled',
          date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
          messageId: '<notice-incident-1-customer-9@recovery-desk>',
        },
      ],
    });

    const one = await sink.get(`/messages/${id}`);
    expect(one.body).toMatchObject({
      id,
      envelope: { from: 'desk@shop.example', to: ['ada@example.com', 'audit@shop.example'] },
      text: 'We cancelled 3 orders and refunded $42.00.',
      html: '<p>We cancelled <b>3 orders</b> and refunded $42.00.</p>',
    });
    expect(one.body.headers['message-id']).toBe('<notice-incident-1-customer-9@recovery-desk>');

    const page = await sink.get(`/messages/${id}/html`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toContain('sandbox');
    expect(page.text).toBe('<p>We cancelled <b>3 orders</b> and refunded $42.00.</p>');
    expect((await sink.get('/messages/msg_nope')).status).toBe(404);
  });

  it('lists newest first and filters by recipient (Bcc included), subject and Message-ID', async () => {
    const mail = transport({ user: 'any', pass: 'thing' }); // any credentials are accepted
    await mail.sendMail({ from: 'desk@shop.example', to: 'ada@example.com', subject: 'Refund issued', text: 'one' });
    await mail.sendMail({
      from: 'desk@shop.example',
      to: 'bob@example.com',
      cc: 'ada@example.com',
      subject: 'Device quarantined',
      text: 'two',
    });
    await mail.sendMail({
      from: 'desk@shop.example',
      to: 'bob@example.com',
      bcc: 'cy@example.com',
      subject: 'Refund issued',
      text: 'three <b>',
    });

    const subjects = async (query: string) =>
      (await sink.get(`/messages${query}`)).body.data.map((message: { subject: string }) => message.subject);
    expect(await subjects('')).toEqual(['Refund issued', 'Device quarantined', 'Refund issued']);
    expect(await subjects('?to=ADA@example.com')).toEqual(['Device quarantined', 'Refund issued']);
    expect(await subjects('?to=cy@example.com')).toEqual(['Refund issued']);
    expect(await subjects('?subject=refund')).toEqual(['Refund issued', 'Refund issued']);
    expect(await subjects('?to=bob@example.com&subject=refund&limit=1')).toEqual(['Refund issued']);
    expect((await sink.get('/messages?limit=1')).body.total).toBe(3);
    expect((await sink.get('/messages?limit=0')).status).toBe(400);

    const [newest] = (await sink.get('/messages?limit=1')).body.data;
    expect((await sink.get(`/messages?messageId=${encodeURIComponent(newest.messageId)}`)).body.data).toEqual([newest]);
    const text = await sink.get(`/messages/${newest.id}/html`);
    expect(text.text).toMatch(/<pre>three &#60;b&#62;\s*<\/pre>$/); // no HTML part: the text, escaped, in a page
  });

  it('DELETE /messages empties the sink', async () => {
    await transport().sendMail({ from: 'a@example.com', to: 'b@example.com', subject: 'x', text: 'y' });
    expect((await (await fetch(`${sink.httpUrl}/messages`, { method: 'DELETE' })).json()) as unknown).toEqual({ deleted: 1 });
    expect((await sink.get('/messages')).body).toEqual({ total: 0, data: [] });
  });

  it('answers 451 to DATA under the tempFailRate knob, keeping nothing, then accepts again', async () => {
    const set = (body: unknown) => fetch(`${sink.httpUrl}/__stand-in/faults`, { method: 'POST', body: JSON.stringify(body) });
    expect((await set({ tempFailRate: 1 })).status).toBe(200);
    try {
      const error = await transport()
        .sendMail({ from: 'a@example.com', to: 'b@example.com', subject: 'x', text: 'y' })
        .catch((thrown: unknown) => thrown);
      expect(error).toMatchObject({ responseCode: 451 });
    } finally {
      await fetch(`${sink.httpUrl}/__stand-in/faults`, { method: 'DELETE' });
    }
    expect((await sink.get('/messages')).body.total).toBe(0);
    await transport().sendMail({ from: 'a@example.com', to: 'b@example.com', subject: 'x', text: 'y' });
    expect((await sink.get('/__stand-in/stats')).body).toMatchObject({ messages: 1, tempFailed: 1 });
    expect((await set({ tempFailRate: 7 })).status).toBe(400);
  });

  it('dates a message by its Date header, or when it arrived when it has none or one that is not a date', async () => {
    const send = (date: string | undefined, subject: string) =>
      transport().sendMail({
        envelope: { from: 'a@example.com', to: ['b@example.com'] },
        raw: [
          `Subject: ${subject}`,
          'From: a@example.com',
          'To: b@example.com',
          ...(date === undefined ? [] : [`Date: ${date}`]),
          '',
          'x',
          '',
        ].join('\r\n'),
      });
    await send('Mon, 07 Dec 2026\r\n 22:39:35 +0100', 'folded');
    await send('not a date', 'unreadable');
    await send(undefined, 'none');
    const dates: Record<string, { date: string; receivedAt: string }> = {};
    for (const { id, subject } of (await sink.get('/messages')).body.data) dates[subject] = (await sink.get(`/messages/${id}`)).body;
    expect(dates.folded!.date).toBe('2026-12-07T21:39:35.000Z');
    expect(dates.unreadable!.date).toBe(dates.unreadable!.receivedAt);
    expect(dates.none!.date).toBe(dates.none!.receivedAt);
  });

  it('still reads journal lines of messages stored parsed (as the sink wrote them before it parsed on reading)', async () => {
    const stored = {
      id: 'msg_0123456789abcdef01',
      receivedAt: '2026-11-20T10:00:00.000Z',
      envelope: { from: 'desk@shop.example', to: ['old@example.com'] },
      from: 'desk@shop.example',
      to: ['old@example.com'],
      cc: [],
      subject: 'Stored parsed',
      date: '2026-11-20T10:00:00.000Z',
      messageId: '<old@shop.example>',
      inReplyTo: null,
      headers: { subject: 'Stored parsed' },
      text: 'old',
      html: null,
      attachments: [],
      size: 120,
    };
    appendFileSync(join(dataDir, 'smtp.jsonl'), JSON.stringify({ at: 1, message: stored }) + '\n');
    await sink.restart();
    expect((await sink.get('/messages?to=old@example.com')).body.data).toEqual([
      { id: stored.id, from: stored.from, to: stored.to, subject: stored.subject, date: stored.date, messageId: stored.messageId },
    ]);
    expect((await sink.get(`/messages/${stored.id}`)).body).toEqual(stored);
  });

  it('keeps messages across a restart and reports its pid on /health', async () => {
    await transport().sendMail({ from: 'a@example.com', to: 'keep@example.com', subject: 'kept', html: '<i>kept</i>' });
    await sink.restart();
    const [kept] = (await sink.get('/messages?to=keep@example.com')).body.data;
    expect(kept.subject).toBe('kept');
    expect((await sink.get(`/messages/${kept.id}`)).body.html.trim()).toBe('<i>kept</i>');
    const health = await sink.get('/health');
    expect(health.body).toMatchObject({ ok: true, service: 'smtp' });
    expect(Number.isInteger(health.body.pid)).toBe(true);
  });
});
