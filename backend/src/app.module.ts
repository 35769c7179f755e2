import { Module, type DynamicModule } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import type { Logger } from 'pino';
import type { AppConfig } from './config/app-config.js';
import { ConfigModule } from './config/config.module.js';
import { DatabaseModule } from './database/database.module.js';
import { HealthModule } from './health/health.module.js';
import { JobsModule } from './jobs/jobs.module.js';
import { WorkerRunner } from './jobs/worker-runner.service.js';
import { MetricsController } from './observability/metrics.controller.js';
import { ObservabilityModule } from './observability/observability.module.js';
import { SystemModule } from './system/system.module.js';
import { AuditModule } from './audit/audit.module.js';
import { AuthModule } from './auth/auth.module.js';
import { DetectionModule } from './detection/detection.module.js';
import { DevicesModule } from './devices/devices.module.js';
import { IncidentsModule } from './incidents/incidents.module.js';
import { QuarantineModule } from './quarantine/quarantine.module.js';
import { IngestionModule } from './ingestion/ingestion.module.js';
import { LedgerModule } from './ledger/ledger.module.js';
import { OrdersModule } from './orders/orders.module.js';
import { RemediationModule } from './remediation/remediation.module.js';
import { WebhooksModule } from './webhooks/webhooks.module.js';
import { DashboardModule } from './dashboard/dashboard.module.js';
import { QueueBoardModule } from './queue-board/queue-board.module.js';

/** Domain modules: loaded by both entry points, so job handlers and services are one code base. */
const domainModules = [
  AuditModule,
  SystemModule,
  IngestionModule,
  OrdersModule,
  DevicesModule,
  DetectionModule,
  IncidentsModule,
  QuarantineModule,
  RemediationModule,
  WebhooksModule,
  LedgerModule,
];

/**
 * The root module of both processes. The API adds HTTP-only parts; the worker
 * adds the job runner. Everything else is shared.
 */
@Module({})
export class AppModule {
  static forRoot(options: { config: AppConfig; logger: Logger; role: 'api' | 'worker' }): DynamicModule {
    const shared = [
      ConfigModule.forRoot(options.config),
      ObservabilityModule.forRoot(options.logger),
      DatabaseModule,
      JobsModule,
      ...domainModules,
    ];
    if (options.role === 'api') {
      return {
        module: AppModule,
        imports: [...shared, AuthModule, HealthModule, DashboardModule, QueueBoardModule],
        controllers: [MetricsController],
      };
    }
    return { module: AppModule, imports: [...shared, DiscoveryModule], providers: [WorkerRunner] };
  }
}
