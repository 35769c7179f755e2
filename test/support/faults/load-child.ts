/**
 * The browsing load's own process (forked by load-clients.ts), so the load
 * generator never shares an event loop with the API it measures. autocannon
 * keeps one connection per client; each connection takes one signed-in
 * session and draws its next page at random from that session's pages.
 */
import autocannon from 'autocannon';

export interface LoadPlan {
  baseUrl: string;
  /** One per connection: the session's bearer token and the pages its role may browse. */
  clients: { token: string; paths: string[] }[];
  durationSeconds: number;
  /** A request slower than this counts as an error (autocannon's timeout). */
  timeoutSeconds: number;
}

export interface LoadFigures {
  requests: number;
  rps: number;
  p50_ms: number;
  p90_ms: number;
  p99_ms: number;
  max_ms: number;
  /** Connection errors and timeouts. */
  errors: number;
  timeouts: number;
  non2xx: number;
  byStatus: Record<string, number>;
}

async function run(plan: LoadPlan): Promise<LoadFigures> {
  let nextClient = 0;
  const result = await autocannon({
    url: plan.baseUrl,
    connections: plan.clients.length,
    duration: plan.durationSeconds,
    timeout: plan.timeoutSeconds,
    requests: [
      {
        method: 'GET',
        setupRequest: (request, context) => {
          const ctx = context as { client?: LoadPlan['clients'][number] };
          ctx.client ??= plan.clients[nextClient++ % plan.clients.length]!;
          const path = ctx.client.paths[Math.floor(Math.random() * ctx.client.paths.length)]!;
          return { ...request, path, headers: { ...request.headers, authorization: `Bearer ${ctx.client.token}` } };
        },
      },
    ],
  });
  const byStatus: Record<string, number> = {};
  for (const [status, stat] of Object.entries(result.statusCodeStats ?? {})) byStatus[status] = stat.count ?? 0;
  return {
    requests: result.requests.total,
    rps: result.requests.average,
    p50_ms: result.latency.p50,
    p90_ms: result.latency.p90,
    p99_ms: result.latency.p99,
    max_ms: result.latency.max,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    byStatus,
  };
}

process.once('message', (plan) => {
  run(plan as LoadPlan).then(
    (figures) => process.send!(figures, () => process.exit(0)),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
});
// Never outlive the suite.
process.on('disconnect', () => process.exit(0));
