import { Injectable, UnsupportedMediaTypeException, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import type { Observable } from 'rxjs';

/** Where @nestjs/swagger keeps `@ApiConsumes` (its DECORATORS.API_CONSUMES, not exported by the package). */
const apiConsumes = 'swagger/apiConsumes';

/**
 * A route takes JSON unless it declares other content types with
 * `@ApiConsumes` (the CSV import, the NDJSON bulk load), as the OpenAPI
 * document says. A body of another type is refused with 415 instead of being
 * ignored and answered with a misleading "field is required" 400.
 */
@Injectable()
export class JsonBodiesOnly implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<Request>();
    if (wouldRefuseBodyType(this.reflector, context)) {
      throw new UnsupportedMediaTypeException(
        `Send the body as JSON (Content-Type: application/json), not ${req.headers['content-type'] ? `"${req.headers['content-type']}"` : 'without a Content-Type'}`,
      );
    }
    return next.handle();
  }
}

/** True when JsonBodiesOnly will answer this request 415 (checks that run earlier, like the reason check, leave it to it). */
export function wouldRefuseBodyType(reflector: Reflector, context: ExecutionContext): boolean {
  const consumes = reflector.getAllAndOverride<string[] | undefined>(apiConsumes, [context.getHandler(), context.getClass()]);
  return !consumes && sendsNonJsonBody(context.switchToHttp().getRequest<Request>());
}

/** A body is present and it is not JSON (so the JSON parser left `req.body` unset). */
function sendsNonJsonBody(req: Request): boolean {
  const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
  return hasBody && !req.is('application/json');
}
