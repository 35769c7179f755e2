/**
 * Where the test stack is. `npm test` (scripts/test.mjs) starts it and sets
 * these; running vitest by hand needs `npm run stack -- up test` and the same variables.
 */
function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the suite with \`npm test\`, which starts the test stack and sets it`);
  return value;
}

export const testEnv = {
  /** A migrated database that each test file clones. */
  get templateDatabaseUrl() {
    return required('TEST_TEMPLATE_DATABASE_URL');
  },
  get redisUrl() {
    return required('TEST_REDIS_URL');
  },
  get repoRoot() {
    return new URL('../..', import.meta.url).pathname.replace(/\/$/, '');
  },
};
