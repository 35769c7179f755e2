import { runAsProcess } from '../shared/run-as-process.js';
import { readConfig } from './config.js';
import { createStripeStandIn } from './server.js';

/** `node stand-ins/dist/stripe/main.js`: the Stripe stand-in as a process. */
await runAsProcess({
  name: 'stripe stand-in',
  readConfig,
  create: createStripeStandIn,
  describe: (config, port) => ({
    port,
    rateLimitRps: config.rateLimitRps,
    latencyMs: config.latencyMs,
    pinnedKey: Boolean(config.secretKey),
  }),
});
