import { runAsProcess } from '../shared/run-as-process.js';
import { readConfig } from './config.js';
import { createFulfilmentStandIn } from './server.js';

/** `node stand-ins/dist/fulfilment/main.js`: the fulfilment provider stand-in as a process. */
await runAsProcess({
  name: 'fulfilment stand-in',
  readConfig,
  create: createFulfilmentStandIn,
  describe: (config, port) => ({
    port,
    rateLimitRps: config.rateLimitRps,
    latencyMs: config.latencyMs,
    pinnedKey: Boolean(config.apiKey),
  }),
});
