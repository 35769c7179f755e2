import { freePort, startProcess, type RunningProcess } from './stand-in-process.js';

/** A fulfilment stand-in of its own for one test file, spoken to over plain HTTP as the backend adapter will. */
export const fulfilmentKey = 'fk_test_suite';

export interface FulfilmentProcess extends RunningProcess {
  baseUrl: string;
  /** An API call with the Bearer key; `key` sets Idempotency-Key. Answers status, headers and parsed body. */
  call(method: 'GET' | 'POST', path: string, options?: { body?: unknown; key?: string; apiKey?: string | null }): Promise<ApiAnswer>;
  control(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<{ status: number; body: any }>;
  faults(patch: Record<string, unknown>): Promise<void>;
  stats(): Promise<FulfilmentStats>;
}

export interface ApiAnswer {
  status: number;
  headers: Headers;
  body: any;
}

export interface FulfilmentStats {
  requests: {
    total: number;
    byStatus: Record<string, number>;
    rateLimited: number;
    injected5xx: number;
    injectedResets: number;
    idempotentReplays: number;
  };
  shipments: number;
  byState: Record<string, number>;
  actions: Record<'cancel' | 'void_label' | 'intercept' | 'return', number>;
  moneyByCurrency: Record<string, { labelCreditMinor: number; interceptFeeMinor: number; returnShippingCostMinor: number }>;
  actionsAppliedTwice: number;
  repeatedActionRequests: number;
  refusedByCode: Record<string, number>;
  deliveredBeforeIntercept: number;
}

export async function startFulfilmentStandIn(env: Record<string, string> = {}): Promise<FulfilmentProcess> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const running = await startProcess(
    'fulfilment',
    { PORT: String(port), FULFILMENT_API_KEY: fulfilmentKey, ...env },
    'fulfilment stand-in listening',
  );
  const control = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${baseUrl}${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.status, body: await res.json() };
  };
  return {
    ...running,
    baseUrl,
    call: async (method, path, options = {}) => {
      const apiKey = options.apiKey === undefined ? fulfilmentKey : options.apiKey;
      const res = await fetch(`${baseUrl}${path}`, {
        method,
        headers: {
          ...(apiKey === null ? {} : { Authorization: `Bearer ${apiKey}` }),
          ...(options.body === undefined ? {} : { 'Content-Type': 'application/json' }),
          ...(options.key ? { 'Idempotency-Key': options.key } : {}),
        },
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
      });
      const text = await res.text();
      return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
    },
    control,
    faults: async (patch) => {
      const answer = await control('POST', '/__stand-in/faults', patch);
      if (answer.status !== 200) throw new Error(`faults ${JSON.stringify(patch)} -> ${answer.status} ${JSON.stringify(answer.body)}`);
    },
    stats: async () => (await control('GET', '/__stand-in/stats')).body,
  };
}
