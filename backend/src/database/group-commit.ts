/** One item's outcome in a batch: its result, or the error that is its alone. */
export type BatchOutcome<R> = { ok: R } | { error: unknown };

/**
 * Group commit: items submitted while batches are being written wait and go
 * together in the next one, so under load many requests share one
 * transaction (its round trips and its commit), while a lone request goes at
 * once — nothing ever waits for a timer. Up to `maxConcurrent` batches are
 * written at a time: a batch spends most of its time waiting on the
 * database, and a second one can be read and sent meanwhile.
 */
export class GroupCommit<T, R> {
  private readonly waiting: { item: T; resolve: (result: R) => void; reject: (error: unknown) => void }[] = [];
  private writing = 0;

  constructor(
    private readonly write: (items: T[]) => Promise<BatchOutcome<R>[]>,
    private readonly options: { maxBatch: number; maxConcurrent: number },
  ) {}

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      if (this.writing < this.options.maxConcurrent) void this.drain();
    });
  }

  /** Writes batches while items wait; one of up to `maxConcurrent` such loops. */
  private async drain(): Promise<void> {
    this.writing += 1;
    try {
      while (this.waiting.length) {
        const batch = this.waiting.splice(0, this.options.maxBatch);
        let outcomes: BatchOutcome<R>[];
        try {
          outcomes = await this.write(batch.map((entry) => entry.item));
        } catch (error) {
          outcomes = batch.map(() => ({ error }));
        }
        batch.forEach((entry, i) => {
          const outcome = outcomes[i]!;
          if ('ok' in outcome) entry.resolve(outcome.ok);
          else entry.reject(outcome.error);
        });
      }
    } finally {
      this.writing -= 1;
    }
  }
}
