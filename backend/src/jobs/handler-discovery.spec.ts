import 'reflect-metadata';
import { Injectable } from '@nestjs/common';
import { DiscoveryModule, DiscoveryService, MetadataScanner } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { describe, expect, it } from 'vitest';
import { jobQueue, type JobName, type JobOutcome } from './job-catalogue.js';
import { JobHandler } from './job-handler.decorator.js';
import { discoverHandlers } from './handler-discovery.js';

@Injectable()
class Handles {
  @JobHandler('system.queue-check')
  async check(): Promise<JobOutcome> {
    return { status: 'success' };
  }
}

@Injectable()
class HandlesDetection {
  @JobHandler('detection.run')
  async run(): Promise<JobOutcome> {
    return { status: 'success' };
  }
}

@Injectable()
class AlsoHandles {
  @JobHandler('system.queue-check')
  async again(): Promise<JobOutcome> {
    return { status: 'skipped', reason: 'duplicate' };
  }
}

/** Stand-in handlers for every other job of the catalogue, so these tests stay about discovery, not about which jobs exist. */
function handlersOfTheRest(except: JobName[]): Function {
  @Injectable()
  class TheRest {}
  for (const name of Object.keys(jobQueue) as JobName[]) {
    if (except.includes(name)) continue;
    const method = `handle_${name.replace(/\W/g, '_')}`;
    Object.defineProperty(TheRest.prototype, method, {
      value: async (): Promise<JobOutcome> => ({ status: 'success' }),
      configurable: true,
    });
    JobHandler(name)(TheRest.prototype, method, Object.getOwnPropertyDescriptor(TheRest.prototype, method)!);
  }
  return TheRest;
}

async function discover(providers: Function[]) {
  const module = await Test.createTestingModule({ imports: [DiscoveryModule], providers: providers as never[] }).compile();
  return discoverHandlers(module.get(DiscoveryService), module.get(MetadataScanner));
}

describe('discoverHandlers', () => {
  it('binds each catalogued job to its one handler', async () => {
    const handlers = await discover([Handles, HandlesDetection, handlersOfTheRest(['system.queue-check', 'detection.run'])]);
    await expect(handlers.get('system.queue-check')!({}, { jobId: '1', attempt: 1, narrow: async () => undefined })).resolves.toEqual({
      status: 'success',
    });
  });

  it('refuses a job without a handler', async () => {
    await expect(discover([HandlesDetection])).rejects.toThrow(/"system.queue-check" has no @JobHandler/);
  });

  it('refuses a job with two handlers, naming both', async () => {
    await expect(discover([Handles, AlsoHandles, HandlesDetection])).rejects.toThrow(/2 handlers: Handles.check, AlsoHandles.again/);
  });
});
