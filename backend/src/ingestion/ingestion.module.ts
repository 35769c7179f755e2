import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { CsvImportService } from './csv-import.service.js';
import { IngestionController } from './ingestion.controller.js';
import { OrderIngestionService } from './order-ingestion.service.js';
import { PlatformWebhookController } from './platform-webhook.controller.js';

@Module({
  imports: [AuditModule],
  controllers: [IngestionController, PlatformWebhookController],
  providers: [OrderIngestionService, CsvImportService],
  exports: [OrderIngestionService],
})
export class IngestionModule {}
