import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { PaymentsModule } from '../payments/payments.module.js';
import { FinanceExport } from './finance-export.js';
import { FinanceReportService } from './finance-report.service.js';
import { FinanceController } from './finance.controller.js';
import { LedgerQueryService } from './ledger-query.service.js';
import { LedgerWriter } from './ledger-writer.js';
import { LedgerController } from './ledger.controller.js';
import { ReconciliationRunner } from './reconciliation/reconciliation-runner.js';
import { ReconciliationJobs } from './reconciliation/reconciliation.jobs.js';
import { ReconciliationService } from './reconciliation/reconciliation.service.js';

/**
 * The loss ledger: append-only entries written by LedgerWriter inside the
 * transactions of the changes they record (the remediation engine and the
 * payment webhooks call it), tallies and the finance report as SQL sums of
 * it, the CSV export, and reconciliation of its refunds with the provider.
 */
@Module({
  imports: [AuditModule, PaymentsModule],
  controllers: [LedgerController, FinanceController],
  providers: [
    LedgerWriter,
    LedgerQueryService,
    FinanceReportService,
    FinanceExport,
    ReconciliationService,
    ReconciliationRunner,
    ReconciliationJobs,
  ],
  exports: [LedgerWriter, LedgerQueryService],
})
export class LedgerModule {}
