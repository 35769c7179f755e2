import { ConfigError } from './env-reader.js';
import { createLogger, type LogLevel, type Logger } from './log.js';

interface Listener {
  listen(): Promise<unknown>;
  close(): Promise<void>;
}

/**
 * A stand-in as its own process: read the config (bad variables: print them
 * all, exit 1), stop cleanly on SIGTERM/SIGINT, listen and announce what
 * the stack manager and people read in the log.
 */
export async function runAsProcess<C extends { logLevel: LogLevel }, S extends Listener>(options: {
  /** "stripe stand-in": in every announcement; its dashed form names the logger. */
  name: string;
  readConfig: (env: NodeJS.ProcessEnv) => C;
  create: (config: C, logger: Logger) => S;
  /** What "listening" reports beside the pid, host and data file. */
  describe: (config: C, address: Awaited<ReturnType<S['listen']>>, server: S) => Record<string, unknown>;
}): Promise<void> {
  let config: C;
  try {
    config = options.readConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }

  const logger = createLogger(options.name.replaceAll(' ', '-'), config.logLevel);
  const server = options.create(config, logger);

  // Before listening: a SIGTERM that arrives right after the "listening" line must still stop it cleanly.
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.announce(`${options.name} stopping`, { signal });
    await server.close();
    logger.announce(`${options.name} stopped`);
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));

  try {
    const address = (await server.listen()) as Awaited<ReturnType<S['listen']>>;
    const { host, dataFile } = config as C & { host?: string; dataFile?: string };
    logger.announce(`${options.name} listening`, {
      ...options.describe(config, address, server),
      host,
      pid: process.pid,
      dataFile: dataFile ?? null,
    });
  } catch (error) {
    logger.error('could not listen', { error: error instanceof Error ? error.message : String(error) });
    process.exit(1);
  }
}
