import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PreparedStatement } from '../../database/prepared-statement.js';
import { openWorkColumns, RunProgress, type OpenWork } from '../run-progress.js';
import { dueNoticesOfSteps, NoticeSender } from './notice-sender.js';
import { newChunkJobId } from './step-chunks.js';

/**
 * After a chunk's steps became final: their customers' notices that are now due, handed to one new
 * job, and the run's open work, in one statement (one snapshot, taken after the chunk's commit —
 * earlier, the last chunk's wake-up could be lost). A due notice is still `pending`, so it keeps the
 * run open until it is sent. Exported for test/api/engine-query-plans.test.ts, which holds its plan
 * to a few buffers per step.
 */
export const afterSteps = new PreparedStatement(`
  WITH ${dueNoticesOfSteps}
  SELECT ${openWorkColumns}, ARRAY(SELECT id FROM handed) AS "handed"
    FROM remediation_run r WHERE r.id = $2`);

/** What follows steps' final results: their customers' notices released, the run finished when nothing is left. */
@Injectable()
export class StepFollowUps {
  constructor(
    private readonly dataSource: DataSource,
    private readonly notices: NoticeSender,
    private readonly progress: RunProgress,
  ) {}

  /** Idempotent: steps found final again (a crash right after recording) run it again harmlessly. */
  async afterSteps(runId: string, stepIds: string[]): Promise<void> {
    if (!stepIds.length) return;
    const jobId = newChunkJobId('notices');
    const [row] = await afterSteps.run<OpenWork & { handed: string[] }>(this.dataSource, [stepIds, runId, jobId]);
    if (!row) return;
    await this.notices.addJobs(row.handed.map((id) => ({ id, jobId })));
    await this.progress.settle(runId, row);
  }
}
