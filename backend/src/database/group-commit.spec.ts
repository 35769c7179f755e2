import { describe, expect, it } from 'vitest';
import { GroupCommit, type BatchOutcome } from './group-commit.js';

/** A writer whose batches finish when the test says, recording what each batch held. */
function gatedWriter() {
  const batches: number[][] = [];
  const gates: (() => void)[] = [];
  const write = async (items: number[]): Promise<BatchOutcome<string>[]> => {
    batches.push(items);
    await new Promise<void>((resolve) => gates.push(resolve));
    return items.map((item) => (item < 0 ? { error: new Error(`refused ${item}`) } : { ok: `done ${item}` }));
  };
  const openNext = async () => {
    await new Promise((resolve) => setImmediate(resolve));
    gates.shift()?.();
  };
  return { write, batches, openNext };
}

describe('GroupCommit', () => {
  it('writes a lone item at once, and the items that arrive meanwhile together in the next batch', async () => {
    const writer = gatedWriter();
    const commit = new GroupCommit(writer.write, { maxBatch: 10, maxConcurrent: 1 });
    const first = commit.submit(1);
    const rest = [2, 3, 4].map((item) => commit.submit(item));
    expect(writer.batches).toEqual([[1]]);
    await writer.openNext();
    await expect(first).resolves.toBe('done 1');
    expect(writer.batches).toEqual([[1], [2, 3, 4]]);
    await writer.openNext();
    await expect(Promise.all(rest)).resolves.toEqual(['done 2', 'done 3', 'done 4']);
  });

  it('keeps to the batch size and the number of batches at once', async () => {
    const writer = gatedWriter();
    const commit = new GroupCommit(writer.write, { maxBatch: 2, maxConcurrent: 2 });
    const all = [1, 2, 3, 4, 5, 6, 7].map((item) => commit.submit(item));
    expect(writer.batches).toEqual([[1], [2]]);
    for (let i = 0; i < 6; i++) await writer.openNext();
    await expect(Promise.all(all)).resolves.toHaveLength(7);
    expect(writer.batches.every((batch) => batch.length <= 2)).toBe(true);
    expect(writer.batches.flat().sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('fails only the items the writer refused, and every item when the writer throws', async () => {
    const writer = gatedWriter();
    const commit = new GroupCommit(writer.write, { maxBatch: 10, maxConcurrent: 1 });
    const blocker = commit.submit(0);
    const good = commit.submit(1);
    const bad = commit.submit(-1);
    await writer.openNext();
    await writer.openNext();
    await expect(blocker).resolves.toBe('done 0');
    await expect(good).resolves.toBe('done 1');
    await expect(bad).rejects.toThrow('refused -1');

    const broken = new GroupCommit<number, string>(
      async () => {
        throw new Error('database down');
      },
      { maxBatch: 10, maxConcurrent: 1 },
    );
    await expect(Promise.all([broken.submit(1), broken.submit(2)])).rejects.toThrow('database down');
  });
});
