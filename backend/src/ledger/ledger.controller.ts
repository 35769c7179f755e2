import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBody, ApiTags } from '@nestjs/swagger';
import { Permission } from '../auth/access.decorators.js';
import { CurrentAuth, type AuthContext } from '../auth/auth-context.js';
import { openApiSchema, ZodPipe } from '../http/validation.js';
import { LedgerQueryService } from './ledger-query.service.js';
import {
  entryListSchema,
  reconciliationListSchema,
  requestReconciliationSchema,
  tallyQuerySchema,
  type EntryListQuery,
  type ReconciliationListQuery,
  type RequestReconciliationInput,
  type TallyQuery,
} from './ledger.schemas.js';
import { ReconciliationService } from './reconciliation/reconciliation.service.js';

/** One incident's loss ledger: its tally, its entries, and its reconciliations with the payment provider. */
@ApiTags('loss ledger')
@Controller('api/incidents/:id')
export class LedgerController {
  constructor(
    private readonly query: LedgerQueryService,
    private readonly reconciliations: ReconciliationService,
  ) {}

  /** Per currency × category totals, cost, recovered and net loss, and recovery over time — all sums of the ledger. */
  @Get('ledger/tally')
  @Permission('ledger.show')
  tally(@Param('id') id: string, @Query(new ZodPipe(tallyQuerySchema, 'query')) query: TallyQuery) {
    return this.query.tally(id, query);
  }

  @Get('ledger')
  @Permission('ledger.show')
  entries(@Param('id') id: string, @Query(new ZodPipe(entryListSchema, 'query')) query: EntryListQuery) {
    return this.query.entries(id, query);
  }

  /** Queues a reconciliation (202); while one is queued or running for the incident, answers that one. */
  @Post('reconciliations')
  @HttpCode(202)
  @Permission('reconciliations.create')
  @ApiBody({ schema: openApiSchema(requestReconciliationSchema) })
  reconcile(
    @Param('id') id: string,
    @Body(new ZodPipe(requestReconciliationSchema)) body: RequestReconciliationInput,
    @CurrentAuth() auth: AuthContext,
  ) {
    return this.reconciliations.request(id, body, auth.user.id);
  }

  @Get('reconciliations')
  @Permission('reconciliations.list')
  listReconciliations(@Param('id') id: string, @Query(new ZodPipe(reconciliationListSchema, 'query')) query: ReconciliationListQuery) {
    return this.reconciliations.list(id, query);
  }

  @Get('reconciliations/:reconciliationId')
  @Permission('reconciliations.list')
  reconciliation(@Param('id') id: string, @Param('reconciliationId') reconciliationId: string) {
    return this.reconciliations.get(id, reconciliationId);
  }
}
