import { Injectable } from '@nestjs/common';
import { hostname } from 'node:os';
import type { JobData, JobOutcome } from '../jobs/job-catalogue.js';
import { JobHandler } from '../jobs/job-handler.decorator.js';

@Injectable()
export class SystemJobs {
  @JobHandler('system.queue-check')
  async queueCheck(data: JobData<'system.queue-check'>): Promise<JobOutcome> {
    return { status: 'success', detail: { requestedAt: data.requestedAt, handledBy: `${hostname()}:${process.pid}` } };
  }
}
