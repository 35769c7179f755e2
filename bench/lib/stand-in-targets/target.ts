/** One server measured by bench/stand-ins.ts: a stand-in, or the floor it is compared with. */
export interface Target {
  label: string;
  /** CPU milliseconds the server process has used so far. */
  cpuMs(): number;
  /** Sets up `units` units of work (not measured) and answers the work itself. */
  prepare(units: number): Promise<Work>;
  /** Closes the clients; the server process is stopped by the bench. */
  stop(): Promise<void>;
}

export interface Work {
  /** The measured work: the requests. */
  run(): Promise<void>;
  /** Until the server is done with what the work set off (webhooks); still measured. */
  settle(): Promise<void>;
  /** After the measurement: that the server did what it should (throws otherwise). */
  check?(): Promise<void>;
}

/** Runs `work(i)` for i in [0, count) with at most `concurrency` at once. */
export async function inParallel(count: number, concurrency: number, work: (index: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < count) await work(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
}

/** Polls `condition` every `everyMs`; fails with `what` after `timeoutMs`. */
export async function waitUntil(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 60_000,
  everyMs = 50,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
