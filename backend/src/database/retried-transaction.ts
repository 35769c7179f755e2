import { QueryFailedError, type DataSource, type EntityManager } from 'typeorm';

/** PostgreSQL aborted the transaction for a deadlock or a serialization failure: it did nothing. */
export const abortedForConcurrency = (error: unknown) =>
  error instanceof QueryFailedError && ['40P01', '40001'].includes((error as QueryFailedError & { code?: string }).code ?? '');

/**
 * A transaction that writes many rows (a chunk of steps, a batch of webhook
 * events) takes its locks in a fixed order, but may still meet a writer that
 * does not; PostgreSQL then aborts one of them. Such a transaction did
 * nothing, so it runs again, up to `attempts` times in all. `work` must have no
 * effect outside the transaction.
 */
export async function retriedTransaction<T>(
  dataSource: DataSource,
  work: (manager: EntityManager) => Promise<T>,
  attempts = 3,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await dataSource.transaction(work);
    } catch (error) {
      if (attempt >= attempts || !abortedForConcurrency(error)) throw error;
    }
  }
}
