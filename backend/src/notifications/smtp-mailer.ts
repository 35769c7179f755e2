import nodemailer, { type Transporter } from 'nodemailer';
import { notConfigured, ProviderFailure } from '../payments/provider-failure.js';
import type { Mailer, OutgoingMail } from './mailer.js';

/** Socket-level failures: nothing (or not everything) was said, so trying again is right. */
const transientCodes = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'EPROTOCOL']);

/**
 * Sends over SMTP_URL with nodemailer. SMTP has no idempotency key: a
 * message the relay accepted just before a crash is sent again by the retry,
 * with the same Message-ID, which mail clients use to show it once.
 */
export class SmtpMailer implements Mailer {
  private readonly transport: Transporter | undefined;

  constructor(
    smtpUrl: string,
    private readonly from: string,
  ) {
    // Kept-alive connections (a few; the queue's limiter keeps the rate): one connection per
    // message cost the relay and this process a TCP set-up, a greeting and EHLO per notice (the
    // SMTP sink's CPU per message in the remediate bench: about 4.5 ms before, 2.5–3.5 ms after).
    // maxRequeues 0: a message whose connection closes mid-send fails here, so the engine counts
    // and retries it; the pool never sends it again behind the engine's back.
    this.transport = smtpUrl
      ? nodemailer.createTransport({
          url: smtpUrl,
          pool: true,
          maxConnections: 4,
          maxRequeues: 0,
          connectionTimeout: 10_000,
          greetingTimeout: 10_000,
          socketTimeout: 20_000,
        } as never)
      : undefined;
  }

  async send(mail: OutgoingMail): Promise<{ messageId: string; response: string }> {
    if (!this.transport) throw notConfigured('smtp', 'SMTP_URL');
    try {
      const info = await this.transport.sendMail({
        from: this.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        messageId: mail.messageId,
        headers: mail.headers,
      });
      return { messageId: info.messageId, response: info.response ?? '' };
    } catch (error) {
      throw classifySmtpError(error);
    }
  }

  close(): void {
    this.transport?.close();
  }
}

/** SMTP replies: 4xx try again later, 5xx will not change; a dropped connection is transient. */
export function classifySmtpError(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const { responseCode, code } = error as Error & { responseCode?: number; code?: string };
  if (typeof responseCode === 'number') {
    const kind = responseCode >= 400 && responseCode < 500 ? 'transient' : 'permanent';
    return new ProviderFailure('smtp', kind, `smtp_${responseCode}`, error.message);
  }
  if (code && transientCodes.has(code)) return new ProviderFailure('smtp', 'transient', code.toLowerCase(), error.message);
  if (code) return new ProviderFailure('smtp', 'permanent', code.toLowerCase(), error.message);
  return error;
}
