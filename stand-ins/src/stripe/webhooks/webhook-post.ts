import http from 'node:http';
import https from 'node:https';

/**
 * One webhook POST, as Stripe makes it: no redirects followed (a 3xx is an answer like any
 * other), the body discarded. Kept-alive connections and `node:http` rather than `fetch`:
 * a stand-in delivering two events per refund spent more CPU in fetch's web streams than
 * in anything else it does, on the machine whose CPU a benchmark measures.
 *
 * Resolves with the status; rejects with Error('timed out') after `timeoutMs`, with the
 * socket's error (its `code`, e.g. ECONNREFUSED) otherwise, or on `signal`'s abort.
 */
const agents = { 'http:': new http.Agent({ keepAlive: true }), 'https:': new https.Agent({ keepAlive: true }) };

export function postWebhook(
  url: string,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<number> {
  const target = new URL(url);
  const client = target.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(
      target,
      {
        method: 'POST',
        headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) },
        agent: agents[target.protocol as keyof typeof agents],
        signal,
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
        response.on('error', reject);
      },
    );
    // A deadline for the whole exchange, as Stripe's: a receiver that trickles its answer still times out.
    const deadline = setTimeout(() => request.destroy(new Error('timed out')), timeoutMs);
    request.on('close', () => clearTimeout(deadline));
    request.on('error', reject);
    request.end(body);
  });
}

/** What the delivery log says went wrong: the socket's code (ECONNREFUSED, ECONNRESET…), else the message. */
export function describePostError(thrown: unknown): string {
  if (!(thrown instanceof Error)) return String(thrown);
  return (thrown as NodeJS.ErrnoException).code ?? thrown.message;
}
