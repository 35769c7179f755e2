import type { ServerResponse } from 'node:http';

/**
 * `body` may already be the stored text of an idempotent replay. Compact JSON
 * (Stripe indents its answers, but replays are kept in memory for 24 hours
 * and a bench makes many).
 */
export function sendJson(res: ServerResponse, status: number, body: unknown, pretty = false): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body, null, pretty ? 2 : undefined);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.setHeader('Cache-Control', 'no-cache, no-store');
  res.end(text);
}
