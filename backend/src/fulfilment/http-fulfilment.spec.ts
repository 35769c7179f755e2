import { createServer, type IncomingMessage, type ServerResponse, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProviderFailure } from '../payments/provider-failure.js';
import { HttpFulfilment } from './http-fulfilment.js';

/** A fulfilment API on 127.0.0.1 whose answer each test scripts, recording what it was sent. */
let server: Server;
let base: string;
let answer: (req: IncomingMessage, res: ServerResponse) => void;
const received: { method?: string; url?: string; headers: IncomingMessage['headers']; body: string }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      received.push({ method: req.method, url: req.url, headers: req.headers, body });
      answer(req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const json =
  (status: number, body: unknown, headers: Record<string, string> = {}) =>
  (_req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };

const failureOf = async (promise: Promise<unknown>): Promise<ProviderFailure> => {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProviderFailure);
  return error as ProviderFailure;
};

describe('HttpFulfilment over a real socket', () => {
  it('sends the action with our key and reads the answer', async () => {
    answer = json(200, { id: 'act_1', operation: 'cancel', state: 'cancelled' });
    const client = new HttpFulfilment(base, 'key_1');
    expect(await client.cancel('order/1', 'step-1:cancel')).toEqual({ id: 'act_1', operation: 'cancel', state: 'cancelled' });
    const sent = received.at(-1)!;
    expect(sent).toMatchObject({ method: 'POST', url: '/v1/shipments/order%2F1/cancel', body: '{}' });
    expect(sent.headers).toMatchObject({ authorization: 'Bearer key_1', 'idempotency-key': 'step-1:cancel' });
  });

  it('reuses its connection from one call to the next', async () => {
    answer = json(200, { reference: 'r', state: 'unfulfilled' });
    const ports = new Set<number>();
    server.on('connection', (socket) => ports.add(socket.remotePort!));
    const client = new HttpFulfilment(base, 'key_1');
    for (let i = 0; i < 5; i++) await client.getShipment('r');
    expect(ports.size).toBeLessThanOrEqual(1);
  });

  it('classifies answers: a refusal is permanent, 5xx and 409 idempotency_key_in_use transient, 429 rate-limited with its wait', async () => {
    const client = new HttpFulfilment(base, 'k');
    answer = json(409, { error: { type: 'invalid_request_error', code: 'too_late', message: 'Already shipped', state: 'in_transit' } });
    expect(await failureOf(client.cancel('r', 'k1'))).toMatchObject({
      kind: 'permanent',
      code: 'too_late',
      detail: { state: 'in_transit' },
    });
    answer = json(503, { error: { code: 'unavailable', message: 'try later' } });
    expect(await failureOf(client.cancel('r', 'k2'))).toMatchObject({ kind: 'transient', code: 'unavailable' });
    answer = json(409, { error: { code: 'idempotency_key_in_use', message: 'in use' } });
    expect(await failureOf(client.cancel('r', 'k3'))).toMatchObject({ kind: 'transient', code: 'idempotency_key_in_use' });
    answer = json(429, { error: { code: 'rate_limit', message: 'slow down' } }, { 'Retry-After': '2' });
    expect(await failureOf(client.cancel('r', 'k4'))).toMatchObject({ kind: 'rate_limited', retryAfterMs: 2000 });
  });

  it('treats a reset, a cut-off answer and silence as transient: the action may have happened', async () => {
    const client = new HttpFulfilment(base, 'k', 300);
    answer = (req) => req.socket.resetAndDestroy();
    expect(await failureOf(client.cancel('r', 'k5'))).toMatchObject({ kind: 'transient', code: 'econnreset' });
    answer = (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '100' });
      res.write('{"id":"act_');
      res.socket!.destroy();
    };
    const cutOff = await failureOf(client.cancel('r', 'k6'));
    expect(cutOff.kind).toBe('transient');
    // The socket's reset or the half body's parse, whichever Node reports first.
    expect(['econnreset', 'unreadable_answer']).toContain(cutOff.code);
    answer = () => undefined; // never answers
    expect(await failureOf(client.cancel('r', 'k7'))).toMatchObject({ kind: 'transient', code: 'timeout' });
    answer = (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      // Trickles a space every 100 ms, never idle for long: only a deadline on the whole exchange ends it.
      const drip = setInterval(() => res.write(' '), 100);
      res.on('close', () => clearInterval(drip));
    };
    const trickled = await failureOf(client.cancel('r', 'k9'));
    expect(trickled.kind).toBe('transient');
    expect(['timeout', 'unreadable_answer']).toContain(trickled.code);
  });

  it('names the missing setting when no API base is configured', async () => {
    const failure = await new HttpFulfilment('', 'k').cancel('r', 'k8').then(
      () => null,
      (e: unknown) => e as Error,
    );
    expect(failure?.message).toContain('FULFILMENT_API_BASE');
  });
});
