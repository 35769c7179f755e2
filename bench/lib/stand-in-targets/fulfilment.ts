import http from 'node:http';
import { freePort, type ChildServer } from '../child-server.js';
import { inParallel, type Target } from './target.js';

/** The key the fulfilment stand-ins are started with (FULFILMENT_API_KEY) and called with. */
export const fulfilmentApiKey = 'fk_bench_stand_ins';

/** What the floor server answers every request with: a cancel as the stand-in answers one. */
const cancelAnswer = JSON.stringify({
  action: {
    id: 'act_0123456789abcdef0123',
    type: 'cancel',
    at: '2026-11-20T10:00:00.000Z',
    idempotencyKey: 'step_floor:cancel',
    fromState: 'unfulfilled',
    toState: 'cancelled',
    currency: 'USD',
  },
  shipment: {
    object: 'shipment',
    reference: 'ord_floor',
    state: 'cancelled',
    carrier: 'DHL',
    trackingNumber: null,
    currency: 'USD',
    labelCostMinor: 420,
    shippingPaidMinor: 499,
    createdAt: '2026-11-20T09:00:00.000Z',
    updatedAt: '2026-11-20T10:00:00.000Z',
    actions: [],
    history: [
      { state: 'unfulfilled', at: '2026-11-20T09:00:00.000Z', by: 'merchant' },
      { state: 'cancelled', at: '2026-11-20T10:00:00.000Z', by: 'action' },
    ],
  },
});

/**
 * The stop-shipment step of a remediation: one cancel per order with an Idempotency-Key,
 * over kept-alive node:http as the backend's HttpFulfilment sends it. Against a stand-in the
 * shipments are registered first (not measured).
 */
export async function fulfilmentTarget(
  label: string,
  start: (port: number, answer: string) => Promise<ChildServer>,
  isStandIn = false,
): Promise<Target> {
  const port = await freePort();
  const server = await start(port, cancelAnswer);
  const agent = new http.Agent({ keepAlive: true });
  const call = (method: 'POST', path: string, body: unknown, idempotencyKey?: string) =>
    new Promise<number>((resolve, reject) => {
      const text = JSON.stringify(body);
      const request = http.request({ host: '127.0.0.1', port, path, method, agent }, (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
        response.on('error', reject);
      });
      request.setHeader('Authorization', `Bearer ${fulfilmentApiKey}`);
      request.setHeader('Accept', 'application/json');
      request.setHeader('Content-Type', 'application/json');
      request.setHeader('Content-Length', String(Buffer.byteLength(text)));
      if (idempotencyKey) request.setHeader('Idempotency-Key', idempotencyKey);
      request.on('error', reject);
      request.end(text);
    });
  let batch = 0;
  return {
    label,
    cpuMs: server.cpuMs,
    async prepare(units) {
      batch++;
      const reference = (i: number) => `ord-${label}-${batch}-${i}`;
      if (isStandIn) {
        await inParallel(units, 16, async (i) => {
          const status = await call('POST', '/v1/shipments', {
            reference: reference(i),
            state: 'unfulfilled',
            carrier: 'DHL',
            labelCostMinor: 420,
            shippingPaidMinor: 499,
            currency: 'USD',
          });
          if (status !== 201) throw new Error(`${label}: registering a shipment answered ${status}`);
        });
      }
      let failures = 0;
      return {
        run: () =>
          inParallel(units, 16, async (i) => {
            const status = await call('POST', `/v1/shipments/${reference(i)}/cancel`, {}, `step-${batch}-${i}:cancel`);
            if (status !== 200) failures++;
          }),
        settle: async () => undefined,
        check: async () => {
          if (failures > 0) throw new Error(`${label}: ${failures} cancels did not answer 200`);
        },
      };
    },
    stop: async () => agent.destroy(),
  };
}
