import { Controller, Get, Inject, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { Permission } from '../auth/access.decorators.js';
import { ZodPipe } from '../http/validation.js';
import { LOGGER } from '../observability/observability.module.js';
import { FinanceExport } from './finance-export.js';
import { FinanceReportService } from './finance-report.service.js';
import { financeRangeSchema, type FinanceRange } from './ledger.schemas.js';

/** Finance across incidents: the report of a date range per currency, and the ledger's entries as CSV. */
@ApiTags('finance')
@Controller('api/finance')
export class FinanceController {
  private readonly logger: Logger;

  constructor(
    private readonly reports: FinanceReportService,
    private readonly exports: FinanceExport,
    private readonly audit: AuditService,
    private readonly dataSource: DataSource,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ component: 'finance-export' });
  }

  @Get('report')
  @Permission('finance-report.show')
  report(@Query(new ZodPipe(financeRangeSchema, 'query')) range: FinanceRange) {
    return this.reports.report(range);
  }

  /**
   * Streamed: rows leave as PostgreSQL's cursor yields them, at the pace the
   * client reads (backpressure through the pipeline); a client that goes
   * away stops the cursor. Who exported what goes into the audit log.
   */
  @Get('export.csv')
  @Permission('finance-report.export')
  async exportCsv(@Query(new ZodPipe(financeRangeSchema, 'query')) range: FinanceRange, @Res() res: Response): Promise<void> {
    const open = await this.exports.open(range);
    try {
      await this.audit.record(this.dataSource.manager, {
        action: 'finance.export',
        targetType: 'ledger',
        summary: { from: range.from.toISOString(), to: range.to.toISOString(), currency: range.currency, incidentId: range.incidentId },
      });
      res.setHeader('Content-Type', 'text/csv; charset=utf-8');
      res.setHeader('Content-Disposition', `attachment; filename="${open.fileName}"`);
      res.setHeader('Cache-Control', 'no-store');
      await pipeline(Readable.from(open.chunks), res);
    } catch (error) {
      // Headers gone: the only honest signal left is a cut connection (the CSV has no closing line to fake).
      if (!res.headersSent) throw error;
      this.logger.warn({ err: (error as Error).message }, 'export stopped');
      res.destroy();
    } finally {
      await open.close();
    }
  }
}
