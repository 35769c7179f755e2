import { Injectable } from '@nestjs/common';
import type { JobData, JobOutcome } from '../../jobs/job-catalogue.js';
import { JobHandler } from '../../jobs/job-handler.decorator.js';
import { ReconciliationRunner } from './reconciliation-runner.js';

@Injectable()
export class ReconciliationJobs {
  constructor(private readonly runner: ReconciliationRunner) {}

  @JobHandler('ledger.reconcile')
  reconcile(data: JobData<'ledger.reconcile'>, context: { attempt: number }): Promise<JobOutcome> {
    return this.runner.run(data.reconciliationId, context.attempt);
  }
}
