import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serveApiRequest, type ApiSteps, type KeyDecision, type RequestFaults } from './api-request.js';
import type { Logger } from './log.js';
import type { RequestStats } from './request-stats.js';
import { sendJson } from './send-json.js';

export interface ApiServer {
  server: Server;
  listen(): Promise<number>;
  close(): Promise<void>;
}

export interface ApiServerOptions<E, P, M, D extends KeyDecision> {
  host: string;
  port: number;
  logger: Logger;
  faults: RequestFaults;
  stats: RequestStats;
  /**
   * Called first for every request, control ones too: the provider's steps
   * for it (api-request.ts), and what its debug log line names besides the
   * method, path, status, time and Idempotency-Key.
   */
  beginRequest(res: ServerResponse): { steps: ApiSteps<E, P, M, D>; logFields?: Record<string, unknown> };
  /** `/__stand-in/*`: the test and bench controls. */
  control(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void>;
  /** The body of the 500 that answers a request which failed inside the stand-in. */
  internalError(): unknown;
  /** Once listening, before `listen()` resolves. */
  onListening?(): void;
  /** First thing on `close()`. */
  onClose?(): void;
}

/**
 * An API stand-in's HTTP server: `/__stand-in/*` to its controls, every other
 * request through its API's steps, counted and logged. A request that throws
 * (a bug) is logged and answered 500, or its socket dropped if the answer had
 * begun.
 */
export function createApiServer<E, P, M, D extends KeyDecision>(options: ApiServerOptions<E, P, M, D>): ApiServer {
  const { logger, stats } = options;
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      logger.error('request failed inside the stand-in', { error: error instanceof Error ? error.stack : String(error) });
      if (!res.headersSent) sendJson(res, 500, options.internalError());
      else res.destroy();
    });
  });
  // Longer than any client's idle keep-alive, so the server never closes a socket a client is about to reuse.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { steps, logFields } = options.beginRequest(res);
    const url = new URL(req.url ?? '/', 'http://stand-in');
    if (url.pathname.startsWith('/__stand-in/')) return options.control(req, res, url);
    const started = performance.now();
    const outcome = await serveApiRequest(req, res, url, steps, options);
    stats.count(outcome);
    logger.debug('request', {
      method: req.method,
      path: url.pathname,
      status: outcome,
      ms: Math.round(performance.now() - started),
      ...logFields,
      idempotencyKey: req.headers['idempotency-key'],
    });
  }

  return {
    server,
    listen: () =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(options.port, options.host, () => {
          options.onListening?.();
          resolve((server.address() as AddressInfo).port);
        });
      }),
    close: () =>
      new Promise((resolve) => {
        options.onClose?.();
        // Finish requests in flight; idle keep-alive sockets close now, stragglers after 10 s.
        server.close(() => resolve());
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 10_000).unref();
      }),
  };
}
