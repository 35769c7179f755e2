import type { IncomingMessage, ServerResponse } from 'node:http';
import { FaultSettingsError, type FaultKnobs, type KnobSettings } from './fault-knobs.js';
import { readBody } from './read-body.js';
import { sendJson as sendApiJson } from './send-json.js';

/** The controls every API stand-in has; its own ones it answers before handing the rest to `handleCommonControl`. */
export interface CommonControls {
  /** Named by the health endpoint. */
  service: string;
  faults: Pick<FaultKnobs<KnobSettings>, 'current' | 'update' | 'restoreDefaults'>;
  stats(): unknown;
  allowReset: boolean;
  /** Forgets everything the stand-in holds; the faults go back to their defaults afterwards. */
  reset(): void;
  /** Every control endpoint, the stand-in's own included: the 404 names them. */
  known: readonly string[];
}

/** People read these with curl: indented. */
export const sendControlJson = (res: ServerResponse, status: number, body: unknown) => sendApiJson(res, status, body, true);

/** `GET /__stand-in/stats` and the like, without a trailing slash. */
export const controlRoute = (req: IncomingMessage, url: URL) => `${req.method} ${url.pathname.replace(/\/+$/, '')}`;

/** A control request's JSON body; empty means `{}`. Bad JSON throws a SyntaxError. */
export async function readJson(req: IncomingMessage): Promise<unknown> {
  const text = await readBody(req);
  return text.trim() === '' ? {} : JSON.parse(text);
}

/**
 * `/__stand-in/*` as every API stand-in serves it, outside the provider's API
 * (no key, no rate limit, no faults), plain JSON in and out: health, the fault
 * knobs (read, change, back to the defaults), stats, and a reset that only a
 * stand-in started with ALLOW_RESET=1 allows. Anything else is 404.
 */
export async function handleCommonControl(
  req: IncomingMessage,
  res: ServerResponse,
  route: string,
  controls: CommonControls,
): Promise<void> {
  const { faults } = controls;
  switch (route) {
    case 'GET /__stand-in/health':
      return sendControlJson(res, 200, { ok: true, service: controls.service, pid: process.pid });
    case 'GET /__stand-in/faults':
      return sendControlJson(res, 200, faults.current);
    case 'POST /__stand-in/faults':
      try {
        return sendControlJson(res, 200, faults.update(await readJson(req)));
      } catch (error) {
        if (error instanceof FaultSettingsError || error instanceof SyntaxError) return sendControlJson(res, 400, { error: error.message });
        throw error;
      }
    case 'DELETE /__stand-in/faults':
      return sendControlJson(res, 200, faults.restoreDefaults());
    case 'GET /__stand-in/stats':
      return sendControlJson(res, 200, controls.stats());
    case 'POST /__stand-in/reset':
      if (!controls.allowReset)
        return sendControlJson(res, 403, { error: 'Reset is disabled; start the stand-in with ALLOW_RESET=1 to allow it.' });
      controls.reset();
      faults.restoreDefaults();
      return sendControlJson(res, 200, { ok: true });
    default:
      return sendControlJson(res, 404, { error: `No control endpoint ${route}. Known: ${controls.known.join(', ')}` });
  }
}
