import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { DetectionRuleSettings } from './detection-rule-settings.js';
import { DetectionRulesController } from './detection-rules.controller.js';
import { DetectionJobs } from './detection.jobs.js';
import { DetectionService } from './detection.service.js';
import { ProposalsController } from './proposals.controller.js';
import { ProposalsService } from './proposals.service.js';

@Module({
  imports: [AuditModule],
  controllers: [ProposalsController, DetectionRulesController],
  providers: [ProposalsService, DetectionService, DetectionRuleSettings, DetectionJobs],
  exports: [ProposalsService],
})
export class DetectionModule {}
