import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PreparedStatement } from '../../database/prepared-statement.js';
import { openWorkColumns, RunProgress, type OpenWork } from '../run-progress.js';
import { dueNoticeOfStep, NoticeSender } from './notice-sender.js';

/**
 * After a step became final: its customer's notice if now due, and the run's open work, in one
 * statement (one snapshot, taken after the step's commit — earlier, the last step's wake-up
 * could be lost). A due notice is still `pending`, so it keeps the run open until it is sent.
 * Exported for test/api/engine-query-plans.test.ts, which holds its plan to a few dozen buffers.
 */
export const afterStep = new PreparedStatement(`
  WITH ${dueNoticeOfStep}
  SELECT ${openWorkColumns}, ARRAY(SELECT id FROM due) AS "dueNotices"
    FROM remediation_run r WHERE r.id = $2`);

/** What follows a step's final result: the customer's notice released, the run finished when nothing is left. */
@Injectable()
export class StepFollowUps {
  constructor(
    private readonly dataSource: DataSource,
    private readonly notices: NoticeSender,
    private readonly progress: RunProgress,
  ) {}

  /** Idempotent: a step found final again (a crash right after recording) runs it again harmlessly. */
  async afterFinal(runId: string, stepId: string): Promise<void> {
    const [row] = await afterStep.run<OpenWork & { dueNotices: string[] }>(this.dataSource, [stepId, runId]);
    if (!row) return;
    await this.notices.enqueue(row.dueNotices);
    await this.progress.settle(runId, row);
  }
}
