import { createServer, type Server } from 'node:http';
import type { AddressInfo, Server as NetServer } from 'node:net';
import type { SMTPServer } from 'smtp-server';
import type { Logger } from '../shared/log.js';
import { sendJson } from '../shared/send-json.js';
import type { SmtpSinkConfig } from './config.js';
import { SmtpFaults } from './faults.js';
import { handleHttp } from './http-api.js';
import { MessageStore } from './message-store.js';
import { createSmtpListener, type SmtpCounters } from './smtp-listener.js';

export interface SmtpSink {
  smtp: SMTPServer;
  http: Server;
  store: MessageStore;
  listen(): Promise<{ smtpPort: number; httpPort: number }>;
  close(): Promise<void>;
}

/** The SMTP sink: mail in on one port, the HTTP API that reads it on another, one store behind both. */
export function createSmtpSink(config: SmtpSinkConfig, logger: Logger): SmtpSink {
  const store = new MessageStore(config.dataFile, config.retainMessages, logger);
  const faults = new SmtpFaults({ tempFailRate: 0, latencyMs: 0, seed: config.faultSeed });
  const counters: SmtpCounters = { accepted: 0, tempFailed: 0, tooLarge: 0 };
  const smtp = createSmtpListener({ store, faults, counters, maxMessageBytes: config.maxMessageBytes, logger });
  smtp.on('error', (error) => logger.warn('smtp connection error', { error: error.message }));
  const http = createServer((req, res) => {
    handleHttp(req, res, { store, faults, counters }).catch((error: unknown) => {
      logger.error('request failed inside the sink', { error: error instanceof Error ? error.stack : String(error) });
      if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
      else res.destroy();
    });
  });

  const listenOn = (server: NetServer, port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, config.host, () => resolve((server.address() as AddressInfo).port));
    });

  return {
    smtp,
    http,
    store,
    listen: async () => {
      const smtpPort = await listenOn(smtp.server, config.smtpPort);
      const httpPort = await listenOn(http, config.httpPort);
      return { smtpPort, httpPort };
    },
    close: () =>
      Promise.all([
        new Promise<void>((resolve) => smtp.close(() => resolve())),
        new Promise<void>((resolve) => {
          http.close(() => resolve());
          http.closeIdleConnections();
          setTimeout(() => http.closeAllConnections(), 10_000).unref();
        }),
      ]).then(() => undefined),
  };
}
