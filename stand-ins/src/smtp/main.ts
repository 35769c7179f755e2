import { runAsProcess } from '../shared/run-as-process.js';
import { readConfig } from './config.js';
import { createSmtpSink } from './server.js';

/** `node stand-ins/dist/smtp/main.js`: the SMTP sink as a process. */
await runAsProcess({
  name: 'smtp sink',
  readConfig,
  create: createSmtpSink,
  describe: (_config, { smtpPort, httpPort }, sink) => ({ smtpPort, httpPort, messages: sink.store.size }),
});
