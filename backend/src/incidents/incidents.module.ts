import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { DetectionModule } from '../detection/detection.module.js';
import { IncidentsQueryService } from './incidents-query.service.js';
import { IncidentsController } from './incidents.controller.js';
import { IncidentsService } from './incidents.service.js';

/** Incidents: declaration (from a proposal or an order filter), lifecycle, membership, timeline, summary. */
@Module({
  imports: [AuditModule, DetectionModule],
  controllers: [IncidentsController],
  providers: [IncidentsService, IncidentsQueryService],
  exports: [IncidentsService, IncidentsQueryService],
})
export class IncidentsModule {}
