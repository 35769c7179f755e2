import type { AddressInfo, Socket } from 'node:net';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ProviderFailure } from '../payments/provider-failure.js';
import { SmtpMailer } from './smtp-mailer.js';

/** A relay on 127.0.0.1 that records connections and messages; each test may script its answer to DATA. */
let server: SMTPServer;
let url: string;
let connections = 0;
let received: { session: string; raw: string }[] = [];
let onData: (stream: SMTPServerDataStream, session: SMTPServerSession, done: (error?: Error | null) => void) => void;

const accept: typeof onData = (stream, session, done) => {
  let raw = '';
  stream.on('data', (chunk: Buffer) => (raw += chunk.toString()));
  stream.on('end', () => {
    received.push({ session: session.id, raw });
    done();
  });
};

/** Cuts a session's TCP connection without a reply (smtp-server keeps its connections in a set). */
const dropConnection = (sessionId: string) => {
  for (const connection of (server as unknown as { connections: Set<{ id: string; _socket: Socket }> }).connections) {
    if (connection.id === sessionId) connection._socket.destroy();
  }
};

beforeAll(async () => {
  server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onConnect: (_session, callback) => {
      connections++;
      callback();
    },
    onData: (stream, session, callback) => onData(stream, session, callback),
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
afterEach(() => {
  connections = 0;
  received = [];
  onData = accept;
});

const mail = (n: number) => ({
  to: `customer-${n}@example.com`,
  subject: `Your orders ${n}`,
  text: `text ${n}`,
  html: `<p>html ${n}</p>`,
  messageId: `<notice-${n}@recovery-desk.test>`,
});

describe('SmtpMailer against a real SMTP server', () => {
  it('sends messages one after the other over one kept-alive connection', async () => {
    onData = accept;
    const mailer = new SmtpMailer(url, 'Recovery Desk <desk@example.com>');
    try {
      for (let n = 1; n <= 4; n++) expect((await mailer.send(mail(n))).messageId).toBe(`<notice-${n}@recovery-desk.test>`);
    } finally {
      mailer.close();
    }
    expect(received).toHaveLength(4);
    expect(new Set(received.map((message) => message.session)).size).toBe(1);
    expect(connections).toBe(1);
    expect(received[2]!.raw).toContain('Message-ID: <notice-3@recovery-desk.test>');
  });

  it('fails a message whose connection drops mid-send, once, without sending it again on its own', async () => {
    let attempts = 0;
    onData = (stream, session, done) => {
      attempts++;
      stream.on('data', () => undefined);
      // The relay goes away before answering the DATA: the client cannot know whether it was kept.
      stream.on('end', () => dropConnection(session.id));
      void done;
    };
    const mailer = new SmtpMailer(url, 'Recovery Desk <desk@example.com>');
    try {
      const error = await mailer.send(mail(1)).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ProviderFailure);
      expect((error as ProviderFailure).kind).toBe('transient');
      // Past the pool's requeue delay: nothing was tried again behind the engine's back.
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect(attempts).toBe(1);

      // The next message gets a fresh connection and goes through.
      onData = accept;
      await mailer.send(mail(2));
      expect(received.map((message) => message.raw.includes('notice-2'))).toEqual([true]);
    } finally {
      mailer.close();
    }
  });

  it('answers a relay refusal by its reply code: 4xx transient, 5xx permanent', async () => {
    const mailer = new SmtpMailer(url, 'Recovery Desk <desk@example.com>');
    try {
      for (const [code, kind] of [
        [451, 'transient'],
        [554, 'permanent'],
      ] as const) {
        onData = (stream, _session, done) => {
          stream.on('data', () => undefined);
          stream.on('end', () => done(Object.assign(new Error('refused by the test relay'), { responseCode: code })));
        };
        const error = (await mailer.send(mail(code)).catch((e: unknown) => e)) as ProviderFailure;
        expect(error).toBeInstanceOf(ProviderFailure);
        expect({ kind: error.kind, code: error.code }).toEqual({ kind, code: `smtp_${code}` });
      }
    } finally {
      mailer.close();
    }
  });

  it('refuses to send without SMTP_URL', async () => {
    const error = (await new SmtpMailer('', 'desk@example.com').send(mail(1)).catch((e: unknown) => e)) as ProviderFailure;
    expect(error).toBeInstanceOf(ProviderFailure);
    expect(error.message).toContain('SMTP_URL');
  });
});
