import { createServer } from 'node:http';
import { SMTPServer } from 'smtp-server';

/**
 * The floors the stand-ins are measured against, each run as its own process (so its CPU is
 * read the same way): what the same traffic costs a server that does nothing with it.
 */

/** The line a bare server prints once it listens. */
export const bareReadyLine = 'bare server listening';

/**
 * node:http reading every body and answering a fixed JSON object the size of a refund: the
 * HTTP part of what a stand-in does per request, without its own work.
 */
export function runBareHttp(port: number, answer: string): void {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.statusCode = 200;
      res.setHeader('Content-Type', 'application/json');
      res.setHeader('Content-Length', Buffer.byteLength(answer));
      res.end(answer);
    });
  });
  server.keepAliveTimeout = 65_000;
  server.listen(port, '127.0.0.1', () => console.log(bareReadyLine));
  process.on('SIGTERM', () => process.exit(0));
}

/** smtp-server with the sink's options, accepting and discarding every message: the protocol's floor. */
export function runBareSmtp(port: number): void {
  const server = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    allowInsecureAuth: true,
    disableReverseLookup: true,
    logger: false,
    onData(stream, _session, callback) {
      stream.resume();
      stream.once('end', () => callback(null, 'Queued'));
    },
  });
  server.listen(port, '127.0.0.1', () => console.log(bareReadyLine));
  process.on('SIGTERM', () => process.exit(0));
}
