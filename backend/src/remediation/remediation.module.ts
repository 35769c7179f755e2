import { forwardRef, Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { QuarantineModule } from '../quarantine/quarantine.module.js';
import { RemediationJobs } from './remediation.jobs.js';
import { RunPlanner } from './run-planner.js';
import { RunProgress } from './run-progress.js';
import { RunQueue } from './run-queue.js';
import { RunControlsService } from './run-controls.service.js';
import { RunNoticesService } from './run-notices.service.js';
import { RunRequestsService } from './run-requests.service.js';
import { RunsQueryService } from './runs-query.service.js';
import { RunsController } from './runs.controller.js';
import { EngineModule } from './engine/engine.module.js';
import { QueueStepDispatcher } from './engine/queue-step-dispatcher.js';
import { RUN_STEP_DISPATCHER } from './step-dispatcher.js';

/**
 * Remediation runs: preview, request, approval, planning, controls, progress
 * and report. The execution engine (remediation/engine/) provides the real
 * RUN_STEP_DISPATCHER and calls RunProgress when steps and notices finish.
 */
@Module({
  imports: [AuditModule, QuarantineModule, forwardRef(() => EngineModule)],
  controllers: [RunsController],
  providers: [
    RunRequestsService,
    RunControlsService,
    RunNoticesService,
    RunsQueryService,
    RunPlanner,
    RunProgress,
    RunQueue,
    RemediationJobs,
    // The engine's dispatcher: queues the steps and gives each one a job on its provider's queue.
    { provide: RUN_STEP_DISPATCHER, useExisting: QueueStepDispatcher },
  ],
  exports: [RunProgress, RunPlanner, RunsQueryService],
})
export class RemediationModule {}
