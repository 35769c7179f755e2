/**
 * Every migration, in order. Listed explicitly (no glob) so the compiled
 * worker, the API, the migrate command and the tests all run the same set.
 */
export const migrations: Function[] = [];
