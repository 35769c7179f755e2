import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody } from '../shared/read-body.js';
import { sendJson } from '../shared/send-json.js';
import { FaultSettingsError } from '../shared/fault-knobs.js';
import type { SmtpFaults } from './faults.js';
import { summary, type StoredMessage } from './message.js';
import type { MessageStore } from './message-store.js';
import type { SmtpCounters } from './smtp-listener.js';

export interface HttpApiDeps {
  store: MessageStore;
  faults: SmtpFaults;
  counters: SmtpCounters;
}

const known = [
  'GET /messages?to=&subject=&from=&messageId=&limit=',
  'GET /messages/:id',
  'GET /messages/:id/html',
  'DELETE /messages',
  'GET /health',
  'GET /__stand-in/stats',
  'GET|POST|DELETE /__stand-in/faults',
];

/**
 * The sink's HTTP API, read by tests and linked to by the UI's outbox view:
 * messages newest first, one message with its text and HTML, the HTML alone
 * as a page. JSON except that page.
 */
export async function handleHttp(req: IncomingMessage, res: ServerResponse, deps: HttpApiDeps): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://sink');
  const path = url.pathname.replace(/\/+$/, '') || '/';
  const route = `${req.method} ${path}`;
  // Read-only and local: any page (the admin UI in development) may fetch it.
  res.setHeader('Access-Control-Allow-Origin', '*');

  const one = path.match(/^\/messages\/([^/]+)(\/html)?$/);
  if (req.method === 'GET' && one) {
    const message = await deps.store.get(decodeURIComponent(one[1]!));
    if (!message) return sendJson(res, 404, { error: `No message ${one[1]}` }, true);
    return one[2] ? sendHtml(res, message) : sendJson(res, 200, message, true);
  }
  switch (route) {
    case 'GET /messages': {
      const query = url.searchParams;
      const limitText = query.get('limit') ?? '50';
      const limit = Number(limitText);
      if (!/^\d+$/.test(limitText) || limit < 1 || limit > 1000)
        return sendJson(res, 400, { error: 'limit must be a whole number from 1 to 1000' }, true);
      const { total, data } = await deps.store.list(
        {
          to: query.get('to') || undefined,
          subject: query.get('subject') || undefined,
          from: query.get('from') || undefined,
          messageId: query.get('messageId') || undefined,
        },
        limit,
      );
      return sendJson(res, 200, { total, data: data.map(summary) }, true);
    }
    case 'DELETE /messages':
      return sendJson(res, 200, { deleted: deps.store.clear() }, true);
    case 'GET /health':
    case 'GET /__stand-in/health':
      return sendJson(res, 200, { ok: true, service: 'smtp', pid: process.pid }, true);
    case 'GET /__stand-in/stats':
      return sendJson(res, 200, { messages: deps.store.size, ...deps.counters, faults: deps.faults.current }, true);
    case 'GET /__stand-in/faults':
      return sendJson(res, 200, deps.faults.current, true);
    case 'POST /__stand-in/faults':
      try {
        const text = await readBody(req);
        return sendJson(res, 200, deps.faults.update(text.trim() ? JSON.parse(text) : {}), true);
      } catch (error) {
        if (error instanceof FaultSettingsError || error instanceof SyntaxError) return sendJson(res, 400, { error: error.message }, true);
        throw error;
      }
    case 'DELETE /__stand-in/faults':
      return sendJson(res, 200, deps.faults.restoreDefaults(), true);
    default:
      return sendJson(res, 404, { error: `No endpoint ${route}. Known: ${known.join(', ')}` }, true);
  }
}

/**
 * The message's HTML as its own page (its text in <pre> when it has none).
 * The sandbox CSP keeps a hostile mail from running scripts in the browser that opens it.
 */
function sendHtml(res: ServerResponse, message: StoredMessage): void {
  const page =
    message.html ??
    `<!doctype html><meta charset="utf-8"><title>${escapeHtml(message.subject)}</title><pre>${escapeHtml(message.text ?? '')}</pre>`;
  res.statusCode = 200;
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader('Content-Security-Policy', "sandbox; default-src 'none'; img-src data: https:; style-src 'unsafe-inline'");
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Cache-Control', 'no-cache, no-store');
  res.end(page);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
