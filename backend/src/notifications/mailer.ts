/** One e-mail, ready to send. Adapters know nothing of incidents or customers. */
export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Ours, fixed before the first attempt (`<id@host>`): a resend after a crash is recognisably the same message. */
  messageId: string;
  headers?: Record<string, string>;
}

export interface Mailer {
  /** Resolves with the Message-ID the relay accepted; throws ProviderFailure. */
  send(mail: OutgoingMail): Promise<{ messageId: string; response: string }>;
  close(): void;
}

export const MAILER = Symbol('MAILER');

/** A new Message-ID in the sender's domain (`<uuid@example.com>`), as mail clients expect. */
export function newMessageId(smtpFrom: string, uuid: string): string {
  const domain = /@([A-Za-z0-9.-]+)>?\s*$/.exec(smtpFrom)?.[1] ?? 'recovery-desk.local';
  return `<${uuid}@${domain}>`;
}
