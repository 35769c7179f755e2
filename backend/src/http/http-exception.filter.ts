import { ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import type { Logger } from 'pino';
import { requestContext } from '../observability/request-context.js';
import { toErrorBody } from './to-error-body.js';

/**
 * Turns every thrown error into the one ErrorBody shape. Unexpected errors are
 * logged with their stack and answered with a generic 500 that names the
 * request id (never the internal message, which may leak SQL or secrets).
 */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost) {
    const res = host.switchToHttp().getResponse<Response>();
    const requestId = requestContext.current()?.requestId;
    const body = toErrorBody(exception);
    body.requestId = requestId;
    if (body.statusCode >= 500) this.logger.error({ err: exception }, 'unhandled error');
    if (res.headersSent) return;
    const retryAfter = (exception as { getResponse?: () => unknown }).getResponse?.() as { retryAfter?: number } | undefined;
    if (typeof retryAfter?.retryAfter === 'number') res.setHeader('Retry-After', String(retryAfter.retryAfter));
    res.status(body.statusCode).json(body);
  }
}
