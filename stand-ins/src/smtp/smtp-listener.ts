import { SMTPServer } from 'smtp-server';
import type { Logger } from '../shared/log.js';
import { randomHex } from '../shared/random-ids.js';
import { sleep } from '../shared/sleep.js';
import type { SmtpFaults } from './faults.js';
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
 * message is journaled as it arrived before the 250 reply.
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
          if (faults.latencyMs > 0) await sleep(faults.latencyMs);
          if (stream.sizeExceeded) {
            counters.tooLarge++;
            return callback(smtpError(552, `5.3.4 Message exceeds the fixed maximum message size of ${maxMessageBytes} bytes`));
          }
          if (faults.tempFail()) {
            counters.tempFailed++;
            return callback(smtpError(451, '4.3.0 Temporary failure (injected by the sink), try again later'));
          }
          const message = {
            id: `msg_${randomHex(9)}`,
            receivedAt: new Date().toISOString(),
            envelope: {
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
              to: session.envelope.rcptTo.map((recipient) => recipient.address),
            },
            raw: Buffer.concat(chunks),
          };
          store.add(message);
          counters.accepted++;
          // What the SMTP transaction said: the message itself is parsed when it is read (message-store.ts).
          logger.info('message received', {
            id: message.id,
            from: message.envelope.from,
            to: message.envelope.to,
            size: message.raw.length,
          });
          callback(null, `Queued as ${message.id}`);
        })().catch((error: unknown) => {
          logger.error('could not keep a message', { error: error instanceof Error ? error.stack : String(error) });
          callback(smtpError(451, '4.3.0 The sink could not store the message'));
        });
      });
    },
  });
}

/** smtp-server answers an error's `responseCode` with its message. */
function smtpError(responseCode: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode });
}
