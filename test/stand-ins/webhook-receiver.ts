import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { waitFor } from './stand-in-process.js';

/** One POST the stand-in made to the receiver, exactly as it arrived. */
export interface ReceivedWebhook {
  at: number;
  /** The raw body: signatures are over these bytes, so tests verify them, not a re-serialised copy. */
  payload: string;
  signature: string;
  contentType: string;
  userAgent: string;
  /** Parsed for convenience. */
  event: { id: string; type: string; data: { object: { id: string } & Record<string, unknown> } } & Record<string, unknown>;
}

/**
 * A real HTTP endpoint on 127.0.0.1 that records what the stand-in delivers
 * and answers what the test says: 200, another status, or a dropped connection.
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  /** What to answer; a number is a status, 'drop' destroys the socket. */
  respondWith: number | 'drop' = 200;
  /** While set, answers wait for it (to show delivery does not hold up the API call). */
  gate: Promise<void> | undefined;
  private server: Server | undefined;

  private constructor(readonly port: number) {}

  /** Listens on `port` (0 = any free one). */
  static async start(port = 0): Promise<WebhookReceiver> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    const receiver = new WebhookReceiver((server.address() as AddressInfo).port);
    receiver.server = server;
    server.on('request', (req, res) => {
      void readAll(req).then(async (payload) => {
        receiver.received.push({
          at: Date.now(),
          payload,
          signature: String(req.headers['stripe-signature'] ?? ''),
          contentType: String(req.headers['content-type'] ?? ''),
          userAgent: String(req.headers['user-agent'] ?? ''),
          event: JSON.parse(payload),
        });
        await receiver.gate;
        if (receiver.respondWith === 'drop') return res.socket?.destroy();
        res.writeHead(receiver.respondWith, { 'Content-Type': 'application/json' }).end('{"received":true}');
      });
    });
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/webhooks/stripe`;
  }

  ofType(type: string): ReceivedWebhook[] {
    return this.received.filter((webhook) => webhook.event.type === type);
  }

  async waitForCount(
    count: number,
    timeoutMs = 5_000,
    filter: (webhook: ReceivedWebhook) => boolean = () => true,
  ): Promise<ReceivedWebhook[]> {
    await waitFor(() => this.received.filter(filter).length >= count, timeoutMs, `${count} webhook(s)`);
    return this.received.filter(filter);
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (!this.server) return resolve();
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}

function readAll(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
