import { Controller, HttpCode, Post, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Permission } from '../auth/access.decorators.js';
import { JobQueueService } from '../jobs/job-queue.service.js';
import type { JobOutcome } from '../jobs/job-catalogue.js';

const queueCheckTimeoutMs = 10_000;

@ApiTags('system')
@Controller('api/system')
export class SystemController {
  constructor(private readonly jobQueues: JobQueueService) {}

  /** Sends one job through Redis and a worker and waits for it: proves the pipeline moves. */
  @Post('queue-check')
  @Permission('system.queue-check')
  @HttpCode(200)
  @ApiOkResponse({ description: 'A worker processed the check job; says which one and how long it took' })
  async queueCheck() {
    const started = performance.now();
    const job = await this.jobQueues.enqueue('system.queue-check', { requestedAt: new Date().toISOString() });
    const result = await this.jobQueues.waitForResult(job, queueCheckTimeoutMs);
    if (result.state !== 'completed') {
      throw new ServiceUnavailableException(
        `No worker finished the queue check within ${queueCheckTimeoutMs / 1000} s (job ${job.id} is ${result.state}${result.failedReason ? `: ${result.failedReason}` : ''})`,
      );
    }
    return { jobId: job.id, roundTripMs: Math.round(performance.now() - started), outcome: result.result as JobOutcome };
  }
}
