import { Injectable } from '@nestjs/common';
import { queues, type QueueKey } from '../jobs/job-catalogue.js';
import { JobQueueService } from '../jobs/job-queue.service.js';
import { queueBoardPath } from './queue-board-path.js';

/** The job states worth a glance; the board shows each job. */
const states = ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children', 'failed', 'completed'] as const;

/**
 * GET /api/queue-board: every queue of the job catalogue with its job counts
 * per state (BullMQ reads them from Redis in one round trip per queue) and
 * where the queue dashboard is.
 */
@Injectable()
export class QueueSummary {
  constructor(private readonly jobQueues: JobQueueService) {}

  async read() {
    const keys = Object.keys(queues) as QueueKey[];
    const rows = await Promise.all(
      keys.map(async (key) => {
        const queue = this.jobQueues.queue(key);
        const [counts, paused] = await Promise.all([queue.getJobCounts(...states), queue.isPaused()]);
        return { key, name: queues[key], paused, counts };
      }),
    );
    return { path: queueBoardPath, readOnly: true, queues: rows };
  }
}
