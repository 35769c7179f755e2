import { randomBytes } from 'node:crypto';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { Logger } from '../shared/log.js';
import { sleep } from '../shared/sleep.js';
import type { SmtpFaults } from './faults.js';
import type { StoredMessage } from './message.js';
import type { MessageStore } from './message-store.js';

/** What the sink has accepted and refused since start. */
export interface SmtpCounters {
  accepted: number;
  tempFailed: number;
  tooLarge: number;
}

/**
 * The SMTP side: `smtp-server` on a plain port — no TLS (STARTTLS is not
 * offered, so nodemailer never tries it), AUTH accepted with any credentials
 * or none at all — like the mail relay a developer's machine would have. Each
 * message is parsed with `mailparser` and journaled before the 250 reply.
 */
export function createSmtpListener(options: {
  store: MessageStore;
  faults: SmtpFaults;
  counters: SmtpCounters;
  maxMessageBytes: number;
  logger: Logger;
}): SMTPServer {
  const { store, faults, counters, maxMessageBytes, logger } = options;
  return new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    allowInsecureAuth: true,
    disableReverseLookup: true,
    banner: 'Recovery Desk SMTP sink',
    size: maxMessageBytes,
    logger: false,
    onAuth(auth, _session, callback) {
      callback(null, { user: auth.username || 'anonymous' });
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.once('error', (error: Error) => callback(error));
      stream.once('end', () => {
        void (async () => {
          if (faults.current.latencyMs > 0) await sleep(faults.current.latencyMs);
          if (stream.sizeExceeded) {
            counters.tooLarge++;
            return callback(smtpError(552, `5.3.4 Message exceeds the fixed maximum message size of ${maxMessageBytes} bytes`));
          }
          if (faults.tempFail()) {
            counters.tempFailed++;
            return callback(smtpError(451, '4.3.0 Temporary failure (injected by the sink), try again later'));
          }
          const raw = Buffer.concat(chunks);
          const envelope = {
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
            to: session.envelope.rcptTo.map((recipient) => recipient.address),
          };
          const message = toStoredMessage(await simpleParser(raw), envelope, raw.length);
          store.add(message);
          counters.accepted++;
          logger.info('message received', { id: message.id, to: message.to, subject: message.subject, messageId: message.messageId });
          callback(null, `Queued as ${message.id}`);
        })().catch((error: unknown) => {
          logger.error('could not keep a message', { error: error instanceof Error ? error.stack : String(error) });
          callback(smtpError(451, '4.3.0 The sink could not store the message'));
        });
      });
    },
  });
}

function toStoredMessage(parsed: ParsedMail, envelope: StoredMessage['envelope'], size: number): StoredMessage {
  const receivedAt = new Date().toISOString();
  const headers: Record<string, string> = {};
  for (const { key, line } of parsed.headerLines) headers[key] = line.slice(line.indexOf(':') + 1).trim();
  return {
    id: `msg_${randomBytes(9).toString('hex')}`,
    receivedAt,
    envelope,
    from: parsed.from?.text ?? '',
    to: addresses(parsed.to),
    cc: addresses(parsed.cc),
    subject: parsed.subject ?? '',
    date: parsed.date && !Number.isNaN(parsed.date.getTime()) ? parsed.date.toISOString() : receivedAt,
    messageId: parsed.messageId ?? null,
    inReplyTo: parsed.inReplyTo ?? null,
    headers,
    text: parsed.text ?? null,
    html: typeof parsed.html === 'string' ? parsed.html : null,
    attachments: parsed.attachments.map((attachment) => ({
      filename: attachment.filename ?? null,
      contentType: attachment.contentType,
      size: attachment.size,
    })),
    size,
  };
}

function addresses(header: AddressObject | AddressObject[] | undefined): string[] {
  const objects = header === undefined ? [] : Array.isArray(header) ? header : [header];
  return objects
    .flatMap((object) => object.value.flatMap((entry) => [entry.address, ...(entry.group ?? []).map((member) => member.address)]))
    .filter((address): address is string => Boolean(address));
}

/** smtp-server answers an error's `responseCode` with its message. */
function smtpError(responseCode: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode });
}
