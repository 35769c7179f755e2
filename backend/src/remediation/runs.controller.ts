import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBody, ApiTags } from '@nestjs/swagger';
import type { z } from 'zod';
import { Permission } from '../auth/access.decorators.js';
import { CurrentAuth, type AuthContext } from '../auth/auth-context.js';
import type { IncidentActor } from '../incidents/incident-store.js';
import { openApiSchema, ZodPipe } from '../http/validation.js';
import { RunsQueryService } from './runs-query.service.js';
import {
  previewRunSchema,
  requestRunSchema,
  retryRunSchema,
  runListSchema,
  runReasonSchema,
  stepListSchema,
  type PreviewRunInput,
  type RequestRunInput,
  type RetryRunInput,
  type RunListQuery,
  type StepListQuery,
} from './runs.schemas.js';
import { RunsService } from './runs.service.js';

const actorOf = (auth: AuthContext): IncidentActor => ({ id: auth.user.id, email: auth.user.email });
type ReasonBody = z.infer<typeof runReasonSchema>;

/** Remediation runs: the dry-run preview and the request (per incident), then each run's controls and reads. */
@ApiTags('remediation runs')
@Controller('api')
export class RunsController {
  constructor(
    private readonly runs: RunsService,
    private readonly query: RunsQueryService,
  ) {}

  @Post('incidents/:id/runs/preview')
  @HttpCode(200)
  @Permission('runs.preview')
  @ApiBody({ schema: openApiSchema(previewRunSchema) })
  preview(@Param('id') id: string, @Body(new ZodPipe(previewRunSchema)) body: PreviewRunInput) {
    return this.runs.preview(id, body.actions);
  }

  @Post('incidents/:id/runs')
  @Permission('runs.create')
  @ApiBody({ schema: openApiSchema(requestRunSchema) })
  request(@Param('id') id: string, @Body(new ZodPipe(requestRunSchema)) body: RequestRunInput, @CurrentAuth() auth: AuthContext) {
    return this.runs.request(id, body, actorOf(auth));
  }

  @Get('runs')
  @Permission('runs.list')
  list(@Query(new ZodPipe(runListSchema, 'query')) query: RunListQuery) {
    return this.query.list(query);
  }

  @Get('runs/:id')
  @Permission('runs.show')
  get(@Param('id') id: string) {
    return this.query.get(id);
  }

  @Get('runs/:id/steps')
  @Permission('runs.show')
  steps(@Param('id') id: string, @Query(new ZodPipe(stepListSchema, 'query')) query: StepListQuery) {
    return this.query.steps(id, query);
  }

  @Get('runs/:id/report')
  @Permission('runs.show')
  report(@Param('id') id: string) {
    return this.query.report(id);
  }

  @Post('runs/:id/approve')
  @HttpCode(200)
  @Permission('runs.approve')
  @ApiBody({ schema: openApiSchema(runReasonSchema) })
  approve(@Param('id') id: string, @Body(new ZodPipe(runReasonSchema)) body: ReasonBody, @CurrentAuth() auth: AuthContext) {
    return this.runs.approve(id, body.reason, actorOf(auth));
  }

  @Post('runs/:id/reject')
  @HttpCode(200)
  @Permission('runs.approve')
  @ApiBody({ schema: openApiSchema(runReasonSchema) })
  reject(@Param('id') id: string, @Body(new ZodPipe(runReasonSchema)) body: ReasonBody, @CurrentAuth() auth: AuthContext) {
    return this.runs.reject(id, body.reason, actorOf(auth));
  }

  @Post('runs/:id/pause')
  @HttpCode(200)
  @Permission('runs.control')
  @ApiBody({ schema: openApiSchema(runReasonSchema) })
  pause(@Param('id') id: string, @Body(new ZodPipe(runReasonSchema)) body: ReasonBody, @CurrentAuth() auth: AuthContext) {
    return this.runs.pause(id, body.reason, actorOf(auth));
  }

  @Post('runs/:id/resume')
  @HttpCode(200)
  @Permission('runs.control')
  @ApiBody({ schema: openApiSchema(runReasonSchema) })
  resume(@Param('id') id: string, @Body(new ZodPipe(runReasonSchema)) body: ReasonBody, @CurrentAuth() auth: AuthContext) {
    return this.runs.resume(id, body.reason, actorOf(auth));
  }

  @Post('runs/:id/cancel')
  @HttpCode(200)
  @Permission('runs.control')
  @ApiBody({ schema: openApiSchema(runReasonSchema) })
  cancel(@Param('id') id: string, @Body(new ZodPipe(runReasonSchema)) body: ReasonBody, @CurrentAuth() auth: AuthContext) {
    return this.runs.cancel(id, body.reason, actorOf(auth));
  }

  @Post('runs/:id/retry')
  @HttpCode(200)
  @Permission('runs.control')
  @ApiBody({ schema: openApiSchema(retryRunSchema) })
  retry(@Param('id') id: string, @Body(new ZodPipe(retryRunSchema)) body: RetryRunInput, @CurrentAuth() auth: AuthContext) {
    return this.runs.retry(id, body, actorOf(auth));
  }
}
