/**
 * One JSON object per line on stdout, like the backend's pino output, so the
 * stack's log files and the tests read every process the same way.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

const rank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  /** Start and stop lines: written at any level, because scripts and tests wait for them. */
  announce(msg: string, fields?: Record<string, unknown>): void;
}

export function isLogLevel(value: string): value is LogLevel {
  return value in rank;
}

export function createLogger(name: string, level: LogLevel): Logger {
  const write = (at: Exclude<LogLevel, 'silent'>, msg: string, fields?: Record<string, unknown>, always = false) => {
    if (!always && rank[at] < rank[level]) return;
    process.stdout.write(JSON.stringify({ level: at, time: new Date().toISOString(), name, msg, ...fields }) + '\n');
  };
  return {
    debug: (msg, fields) => write('debug', msg, fields),
    info: (msg, fields) => write('info', msg, fields),
    warn: (msg, fields) => write('warn', msg, fields),
    error: (msg, fields) => write('error', msg, fields),
    announce: (msg, fields) => write('info', msg, fields, true),
  };
}
