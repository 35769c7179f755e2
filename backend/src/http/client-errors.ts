import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ErrorBody } from './error-body.js';

const answers: Record<string, { statusCode: number; error: string; message: string }> = {
  HPE_HEADER_OVERFLOW: {
    statusCode: 431,
    error: 'Request Header Fields Too Large',
    message: 'The request line and headers exceed the server limit (16 KB); send long values in the body',
  },
  ERR_HTTP_REQUEST_TIMEOUT: { statusCode: 408, error: 'Request Timeout', message: 'The request was not received in time' },
};

/**
 * Node's HTTP parser refuses some requests before Express sees them (a URL
 * or headers over 16 KB, a malformed request line) and by default answers
 * with an empty body. Answer those in the API's error shape too, so every
 * 4xx names its problem.
 */
export function answerClientErrorsInErrorShape(server: Server) {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const known = answers[error.code ?? ''];
    const body: ErrorBody = known ?? {
      statusCode: 400,
      error: 'Bad Request',
      message: `Malformed HTTP request (${error.code ?? 'parse error'})`,
    };
    const json = JSON.stringify(body);
    socket.end(
      `HTTP/1.1 ${body.statusCode} ${body.error}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(json)}\r\nConnection: close\r\n\r\n${json}`,
    );
  });
}
