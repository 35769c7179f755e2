import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import type { MetricsService } from './metrics.service.js';
import { requestContext, type RequestContext } from './request-context.js';

const acceptableRequestId = /^[A-Za-z0-9._:-]{1,64}$/;

/**
 * Gives every request an id (the caller's X-Request-Id when it is sane),
 * runs the rest of the request inside that context, and on finish writes one
 * access log line and the HTTP metrics. Only chosen fields are logged — never
 * headers or bodies, which may carry tokens and passwords.
 */
export function httpObservability(logger: Logger, metrics: MetricsService) {
  return (req: Request, res: Response, next: NextFunction) => {
    const incoming = req.header('x-request-id');
    const requestId = incoming && acceptableRequestId.test(incoming) ? incoming : randomUUID();
    res.setHeader('X-Request-Id', requestId);
    const started = process.hrtime.bigint();
    const context: RequestContext = { requestId, ip: req.ip };

    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = req.route?.path ? `${req.baseUrl}${req.route.path}` : 'unmatched';
      metrics.httpRequests.inc({ method: req.method, route, status: String(res.statusCode) });
      metrics.httpDuration.observe({ method: req.method, route }, seconds);
      const line = {
        reqId: requestId,
        method: req.method,
        path: req.path,
        status: res.statusCode,
        ms: Math.round(seconds * 1000 * 10) / 10,
        // Read at the start: once the socket is gone (client hung up), req.ip throws.
        ip: context.ip,
        userId: context.actor?.id,
      };
      if (res.statusCode >= 500) logger.error(line, 'request failed');
      else logger.info(line, 'request completed');
    });

    requestContext.run(context, () => next());
  };
}
