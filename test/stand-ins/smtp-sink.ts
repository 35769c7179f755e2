import { freePort, startProcess, type RunningProcess } from './stand-in-process.js';

/** An SMTP sink of its own for one test file: mail in over SMTP, read back over its HTTP API. */
export interface SmtpSinkProcess extends RunningProcess {
  smtpUrl: string;
  httpUrl: string;
  get(path: string): Promise<{ status: number; headers: Headers; body: any; text: string }>;
}

export async function startSmtpSink(env: Record<string, string> = {}): Promise<SmtpSinkProcess> {
  const smtpPort = await freePort();
  let httpPort = await freePort();
  while (httpPort === smtpPort) httpPort = await freePort();
  const running = await startProcess('smtp', { SMTP_PORT: String(smtpPort), HTTP_PORT: String(httpPort), ...env }, 'smtp sink listening');
  const httpUrl = `http://127.0.0.1:${httpPort}`;
  return {
    ...running,
    smtpUrl: `smtp://127.0.0.1:${smtpPort}`,
    httpUrl,
    get: async (path) => {
      const res = await fetch(`${httpUrl}${path}`);
      const text = await res.text();
      const json = res.headers.get('content-type')?.startsWith('application/json');
      return { status: res.status, headers: res.headers, body: json ? JSON.parse(text) : undefined, text };
    },
  };
}
