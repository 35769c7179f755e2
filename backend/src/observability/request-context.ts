import { AsyncLocalStorage } from 'node:async_hooks';

/** What every log line and audit row of one request shares. */
export interface RequestContext {
  requestId: string;
  ip?: string;
  /** Set by the access guard once the caller is known. */
  actor?: { id: string; email: string; roles: string[] };
}

const storage = new AsyncLocalStorage<RequestContext>();

export const requestContext = {
  run<T>(context: RequestContext, work: () => T): T {
    return storage.run(context, work);
  },
  current(): RequestContext | undefined {
    return storage.getStore();
  },
};
