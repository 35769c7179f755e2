/** A message as it arrived: what the SMTP transaction said and the raw bytes, not yet parsed. */
export interface ReceivedMessage {
  id: string;
  receivedAt: string;
  /** What the client said in MAIL FROM / RCPT TO (Bcc recipients appear only here). */
  envelope: { from: string | null; to: string[] };
  raw: Buffer;
}

/** A received message as the HTTP API serves it: parsed, attachments described but not kept. */
export interface StoredMessage {
  id: string;
  receivedAt: string;
  envelope: ReceivedMessage['envelope'];
  /** The From header as written ("Recovery Desk <desk@example.com>"). */
  from: string;
  /** Addresses of the To and Cc headers. */
  to: string[];
  cc: string[];
  subject: string;
  /** The Date header (ISO), or when it arrived if the message had none. */
  date: string;
  /** The Message-ID header, angle brackets included; a resend of the same notice repeats it. */
  messageId: string | null;
  inReplyTo: string | null;
  /** Header lines by lower-case name (the last one wins when a header repeats). */
  headers: Record<string, string>;
  text: string | null;
  html: string | null;
  attachments: { filename: string | null; contentType: string; size: number }[];
  /** Size of the raw message in bytes. */
  size: number;
}

/** What a list shows of a message. */
export function summary({ id, from, to, subject, date, messageId }: StoredMessage) {
  return { id, from, to, subject, date, messageId };
}
