import { Module } from '@nestjs/common';
import { AuditQueryService } from './audit-query.service.js';
import { AuditController } from './audit.controller.js';
import { AuditService } from './audit.service.js';

@Module({ controllers: [AuditController], providers: [AuditService, AuditQueryService], exports: [AuditService] })
export class AuditModule {}
