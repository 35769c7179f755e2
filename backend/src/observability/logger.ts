import type { LoggerService } from '@nestjs/common';
import { pino, type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from '../config/app-config.js';
import { requestContext } from './request-context.js';

/**
 * One JSON line per event on stdout. The request id is attached from the
 * async context, so code deep in a service need not pass it around.
 * Secrets never reach here: request logging picks its fields explicitly.
 */
export function createRootLogger(level: LogLevel, name: string, destination?: DestinationStream): Logger {
  return pino(
    {
      name,
      level,
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin() {
        const context = requestContext.current();
        return context ? { reqId: context.requestId } : {};
      },
      redact: {
        paths: ['password', '*.password', 'token', '*.token', 'authorization', '*.authorization', 'cookie', '*.cookie'],
        censor: '[redacted]',
      },
    },
    destination,
  );
}

/** Adapts pino to Nest's LoggerService so framework messages are JSON too. */
export class JsonLogger implements LoggerService {
  constructor(private readonly root: Logger) {}

  log(message: unknown, context?: string) {
    this.root.info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string) {
    this.root.error({ context, err: message instanceof Error ? message : undefined, trace }, String(message));
  }
  warn(message: unknown, context?: string) {
    this.root.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string) {
    this.root.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string) {
    this.root.trace({ context }, String(message));
  }
  fatal(message: unknown, context?: string) {
    this.root.fatal({ context }, String(message));
  }
}
