import { HttpException, HttpStatus } from '@nestjs/common';
import type { ErrorBody } from './error-body.js';

interface BodyParserError {
  type?: string;
  limit?: number;
  message?: string;
}

/** Maps anything thrown while serving a request to the API's one error shape. */
export function toErrorBody(exception: unknown): ErrorBody {
  // Nest wraps body-parser failures in an HttpException whose cause says what went wrong.
  const parserBody = fromBodyParser((exception as { cause?: BodyParserError })?.cause ?? (exception as BodyParserError));
  if (parserBody) return parserBody;

  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const response = exception.getResponse();
    const error = statusText(status);
    if (typeof response === 'string') return { statusCode: status, error, message: response };
    const payload = response as Partial<ErrorBody> & { message?: string | string[] };
    const message = Array.isArray(payload.message) ? payload.message.join('; ') : (payload.message ?? exception.message);
    return { statusCode: status, error, message, ...(payload.fields ? { fields: payload.fields } : {}) };
  }
  return { statusCode: 500, error: 'Internal Server Error', message: 'Unexpected error; quote the request id when reporting it' };
}

function fromBodyParser(error: BodyParserError | undefined): ErrorBody | undefined {
  switch (error?.type) {
    case 'entity.too.large':
      return { statusCode: 413, error: 'Payload Too Large', message: `Request body exceeds the limit of ${error.limit} bytes` };
    case 'entity.parse.failed':
      return { statusCode: 400, error: 'Bad Request', message: `Malformed JSON body: ${error.message}` };
    case 'encoding.invalid':
      return { statusCode: 400, error: 'Bad Request', message: error.message ?? 'The body is not valid UTF-8' };
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return { statusCode: 415, error: 'Unsupported Media Type', message: error.message ?? 'Unsupported body encoding' };
    default:
      return undefined;
  }
}

function statusText(status: number): string {
  const name = HttpStatus[status];
  if (!name) return 'Error';
  return name
    .toLowerCase()
    .split('_')
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join(' ');
}
