import type { Logger } from 'pino';

/**
 * A drain must not hang a deploy forever: once SIGTERM arrives, the process
 * gets `timeoutMs` to finish in-flight requests and jobs, then exits anyway.
 * Call with `armed` when the signal is already being handled.
 */
export function exitAfterTimeout(timeoutMs: number, logger: Logger, armed = false) {
  const arm = () => {
    setTimeout(() => {
      logger.error({ timeoutMs }, 'drain timed out; exiting');
      process.exit(1);
    }, timeoutMs).unref();
  };
  if (armed) arm();
  else
    process.once('SIGTERM', () => {
      logger.info({ signal: 'SIGTERM' }, 'draining');
      arm();
    });
}
