import http, { type ClientRequest, type RequestOptions } from 'node:http';
import https from 'node:https';
import { urlToHttpOptions } from 'node:url';

/**
 * Webhook POSTs, as Stripe makes them: no redirects followed (a 3xx is an answer like any
 * other), the body discarded. Kept-alive connections and `node:http` rather than `fetch`:
 * a stand-in delivering two events per refund spent more CPU in fetch's web streams than
 * in anything else it does, on the machine whose CPU a benchmark measures. For the same
 * reason an endpoint's URL is parsed once, not per POST, and the POSTs in flight are kept
 * in a set to be dropped on stop, rather than each given an AbortSignal (whose listeners,
 * on the signal and on the request, cost more than the set).
 */
export class WebhookPoster {
  private readonly agents = { 'http:': new http.Agent({ keepAlive: true }), 'https:': new https.Agent({ keepAlive: true }) };
  private readonly targets = new Map<string, RequestOptions>();
  private readonly inFlight = new Set<ClientRequest>();

  /**
   * Resolves with the status; rejects with Error('timed out') after `timeoutMs`, with the
   * socket's error (its `code`, e.g. ECONNREFUSED) otherwise, or when `abortAll` drops it.
   */
  post(url: string, headers: Record<string, string>, body: Buffer, timeoutMs: number): Promise<number> {
    const target = this.target(url);
    const client = target.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const request = client.request(
        { ...target, method: 'POST', headers: { ...headers, 'Content-Length': String(body.length) } },
        (response) => {
          response.resume();
          response.on('end', () => resolve(response.statusCode ?? 0));
          response.on('error', reject);
        },
      );
      this.inFlight.add(request);
      // A deadline for the whole exchange, as Stripe's: a receiver that trickles its answer still times out.
      const deadline = setTimeout(() => request.destroy(new Error('timed out')), timeoutMs);
      request.on('close', () => {
        clearTimeout(deadline);
        this.inFlight.delete(request);
      });
      request.on('error', reject);
      request.end(body);
    });
  }

  /** Drops every POST in flight (the stand-in stops, or is reset); each rejects. */
  abortAll(): void {
    for (const request of this.inFlight) request.destroy(new Error('aborted'));
  }

  /** The request options of a URL, as `http.request(url)` would make them, with its agent. */
  private target(url: string): RequestOptions {
    let target = this.targets.get(url);
    if (!target) {
      const parsed = new URL(url);
      target = { ...urlToHttpOptions(parsed), agent: this.agents[parsed.protocol as keyof typeof this.agents] };
      // Endpoints are few (16 at most), but their URLs may change: never let old ones pile up.
      if (this.targets.size >= 64) this.targets.clear();
      this.targets.set(url, target);
    }
    return target;
  }
}

/** What the delivery log says went wrong: the socket's code (ECONNREFUSED, ECONNRESET…), else the message. */
export function describePostError(thrown: unknown): string {
  if (!(thrown instanceof Error)) return String(thrown);
  return (thrown as NodeJS.ErrnoException).code ?? thrown.message;
}
