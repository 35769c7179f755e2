import { Injectable } from '@nestjs/common';
import type { JobData, JobOutcome } from '../../jobs/job-catalogue.js';
import { JobHandler } from '../../jobs/job-handler.decorator.js';
import { NoticeSender } from './notice-sender.js';
import { RefundExecutor } from './refund-executor.js';
import { EngineSweep } from './engine-sweep.js';
import { ShipmentExecutor } from './shipment-executor.js';
import { StepRunner } from './step-runner.js';

/** The engine's job handlers: one per provider queue. */
@Injectable()
export class EngineJobs {
  constructor(
    private readonly runner: StepRunner,
    private readonly refunds: RefundExecutor,
    private readonly shipments: ShipmentExecutor,
    private readonly notices: NoticeSender,
    private readonly sweeper: EngineSweep,
  ) {}

  @JobHandler('remediation.refund')
  refund(data: JobData<'remediation.refund'>, context: { attempt: number }): Promise<JobOutcome> {
    return this.runner.run('payments', data.stepId, context.attempt, this.refunds);
  }

  @JobHandler('remediation.shipment')
  shipment(data: JobData<'remediation.shipment'>, context: { attempt: number }): Promise<JobOutcome> {
    return this.runner.run('fulfilment', data.stepId, context.attempt, this.shipments);
  }

  @JobHandler('remediation.notice')
  notice(data: JobData<'remediation.notice'>, context: { attempt: number }): Promise<JobOutcome> {
    return this.notices.send(data.outboxId, context.attempt);
  }

  @JobHandler('remediation.engine-sweep')
  async sweep(): Promise<JobOutcome> {
    return { status: 'success', detail: { ...(await this.sweeper.sweep()) } };
  }
}
