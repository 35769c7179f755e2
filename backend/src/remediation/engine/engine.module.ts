import { forwardRef, Module } from '@nestjs/common';
import { FulfilmentModule } from '../../fulfilment/fulfilment.module.js';
import { LedgerModule } from '../../ledger/ledger.module.js';
import { NotificationsModule } from '../../notifications/notifications.module.js';
import { PaymentsModule } from '../../payments/payments.module.js';
import { RemediationModule } from '../remediation.module.js';
import { EngineJobs } from './engine.jobs.js';
import { EngineSweep } from './engine-sweep.js';
import { NoticeSender } from './notice-sender.js';
import { QueueStepDispatcher } from './queue-step-dispatcher.js';
import { RefundExecutor } from './refund-executor.js';
import { ShipmentExecutor } from './shipment-executor.js';
import { ProviderBudgets } from './provider-budgets.js';
import { StepChunkRunner } from './chunk-runner.js';
import { StepFollowUps } from './step-follow-ups.js';
import { StepStore } from './step-store.js';

/**
 * The remediation engine: executes steps and notices in chunks on the provider
 * queues (`{payments}`, `{fulfilment}`, `{email}`), exactly once per step
 * (docs/remediation.md). RemediationModule hands steps to it through
 * StepDispatcher; it reports back through RunProgress.
 */
@Module({
  imports: [forwardRef(() => RemediationModule), PaymentsModule, FulfilmentModule, NotificationsModule, LedgerModule],
  providers: [
    StepStore,
    StepFollowUps,
    StepChunkRunner,
    ProviderBudgets,
    RefundExecutor,
    ShipmentExecutor,
    NoticeSender,
    QueueStepDispatcher,
    EngineSweep,
    EngineJobs,
  ],
  exports: [QueueStepDispatcher, NoticeSender],
})
export class EngineModule {}
