import { Injectable } from '@nestjs/common';
import type { JobContext } from '../../jobs/handler-discovery.js';
import type { JobData, JobOutcome } from '../../jobs/job-catalogue.js';
import { JobHandler } from '../../jobs/job-handler.decorator.js';
import { StepChunkRunner } from './chunk-runner.js';
import { EngineSweep } from './engine-sweep.js';
import { NoticeSender } from './notice-sender.js';
import { RefundExecutor } from './refund-executor.js';
import { ShipmentExecutor } from './shipment-executor.js';

/** The engine's job handlers: one per provider queue, each taking a chunk. */
@Injectable()
export class EngineJobs {
  constructor(
    private readonly runner: StepChunkRunner,
    private readonly refundExecutor: RefundExecutor,
    private readonly shipmentExecutor: ShipmentExecutor,
    private readonly noticeSender: NoticeSender,
    private readonly sweeper: EngineSweep,
  ) {}

  @JobHandler('remediation.refunds')
  refunds(data: JobData<'remediation.refunds'>, context: JobContext): Promise<JobOutcome> {
    return this.runner.run('payments', data, context, this.refundExecutor);
  }

  @JobHandler('remediation.shipments')
  shipments(data: JobData<'remediation.shipments'>, context: JobContext): Promise<JobOutcome> {
    return this.runner.run('fulfilment', data, context, this.shipmentExecutor);
  }

  @JobHandler('remediation.notices')
  notices(data: JobData<'remediation.notices'>, context: JobContext): Promise<JobOutcome> {
    return this.noticeSender.send(data.outboxIds, context);
  }

  @JobHandler('remediation.engine-sweep')
  async sweep(): Promise<JobOutcome> {
    return { status: 'success', detail: { ...(await this.sweeper.sweep()) } };
  }
}
