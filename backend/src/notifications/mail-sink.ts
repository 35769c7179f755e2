/**
 * A mail sink's HTTP API (the local SMTP stand-in: `GET /messages?messageId=`,
 * `GET /messages/:id/html`), where demo and test stacks can show a notice as it
 * was received. The sink keys messages by its own id; ours is the Message-ID.
 * A real relay keeps no copy, so nothing here is used without SMTP_SINK_URL.
 */
export class MailSinkUnavailable extends Error {}

/** The URL of the sink's rendered copy of the message with this Message-ID, or null when the sink has none. */
export async function findSinkMessage(sinkUrl: string, messageId: string, timeoutMs = 5000): Promise<string | null> {
  const query = new URLSearchParams({ messageId, limit: '1' });
  let response: Response;
  try {
    response = await fetch(`${sinkUrl}/messages?${query}`, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    throw new MailSinkUnavailable(`the mail sink at ${sinkUrl} did not answer (${(error as Error).message})`);
  }
  if (!response.ok) throw new MailSinkUnavailable(`the mail sink at ${sinkUrl} answered ${response.status}`);
  const body = (await response.json()) as { data?: { id?: string }[] };
  const id = body.data?.[0]?.id;
  return id ? `${sinkUrl}/messages/${encodeURIComponent(id)}/html` : null;
}
