/** Thrown when the environment does not describe a runnable configuration. */
export class ConfigError extends Error {
  constructor(readonly problems: { variable: string; message: string }[]) {
    super('Invalid configuration:\n' + problems.map((problem) => `  - ${problem.variable} ${problem.message}`).join('\n'));
    this.name = 'ConfigError';
  }
}
