import type { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { JOB_HANDLER } from './job-handler.decorator.js';
import { jobQueue, type JobName, type JobOutcome } from './job-catalogue.js';

/** What a handler knows of its job besides its data. */
export interface JobContext {
  jobId: string;
  /** 1 on the first run, counting retries (not stalls). */
  attempt: number;
  /** Replaces the job's data for its next attempts (a chunk retries only the rows that failed). */
  narrow(data: unknown): Promise<void>;
}

export type BoundHandler = (data: unknown, context: JobContext) => Promise<JobOutcome>;

/**
 * Finds every `@JobHandler` method among the app's providers and checks the
 * catalogue is covered exactly once, so a forgotten or duplicated handler
 * stops the worker at start instead of leaving jobs stuck in Redis.
 */
export function discoverHandlers(discovery: DiscoveryService, scanner: MetadataScanner): Map<JobName, BoundHandler> {
  const found = new Map<JobName, { owner: string; handler: BoundHandler }[]>();
  for (const wrapper of discovery.getProviders()) {
    const instance = wrapper.instance as Record<string, unknown> | undefined;
    if (!instance || typeof instance !== 'object') continue;
    const prototype = Object.getPrototypeOf(instance);
    for (const method of scanner.getAllMethodNames(prototype)) {
      const name = Reflect.getMetadata(JOB_HANDLER, prototype[method]) as JobName | undefined;
      if (!name) continue;
      const handler = (prototype[method] as BoundHandler).bind(instance);
      const list = found.get(name) ?? [];
      list.push({ owner: `${prototype.constructor.name}.${method}`, handler });
      found.set(name, list);
    }
  }

  const problems: string[] = [];
  for (const name of Object.keys(jobQueue) as JobName[]) {
    const list = found.get(name) ?? [];
    if (list.length === 0) problems.push(`job "${name}" has no @JobHandler`);
    if (list.length > 1) problems.push(`job "${name}" has ${list.length} handlers: ${list.map((h) => h.owner).join(', ')}`);
  }
  for (const name of found.keys()) {
    if (!(name in jobQueue)) problems.push(`@JobHandler("${name}") names a job missing from the catalogue`);
  }
  if (problems.length) throw new Error(`Job handlers do not match the catalogue:\n  - ${problems.join('\n  - ')}`);

  return new Map([...found].map(([name, list]) => [name, list[0]!.handler]));
}
