import { isLogLevel, type LogLevel } from './log.js';

/** Every bad variable at once, so one start tells the whole story. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  }
}

/**
 * The parsing every stand-in's config shares: problems are collected (not
 * thrown one by one) and `check()` throws them together as a ConfigError.
 */
export function envReader(env: NodeJS.ProcessEnv) {
  const problems: string[] = [];
  return {
    problems,
    wholeNumber(name: string, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
      const raw = env[name];
      if (raw === undefined || raw === '') return fallback;
      if (!/^\d+$/.test(raw) || Number(raw) > max) {
        problems.push(`${name} must be a whole number from 0 to ${max}, got "${raw}"`);
        return fallback;
      }
      return Number(raw);
    },
    logLevel(): LogLevel {
      const level = env.LOG_LEVEL ?? 'info';
      if (isLogLevel(level)) return level;
      problems.push(`LOG_LEVEL must be one of debug, info, warn, error, silent, got "${level}"`);
      return 'info';
    },
    check(): void {
      if (problems.length) throw new ConfigError(problems);
    },
  };
}
