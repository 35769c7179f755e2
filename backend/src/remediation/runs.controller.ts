import { Body, Controller, Get, HttpCode, Param, Post, Query, Redirect } from '@nestjs/common';
import { ApiBody, ApiTags } from '@nestjs/swagger';
import type { z } from 'zod';
import { Permission } from '../auth/access.decorators.js';
import { CurrentAuth, type AuthContext } from '../auth/auth-context.js';
import type { IncidentActor } from '../incidents/incident-store.js';
import { openApiSchema, ZodPipe } from '../http/validation.js';
import { RunControlsService } from './run-controls.service.js';
import { RunNoticesService } from './run-notices.service.js';
import { RunRequestsService } from './run-requests.service.js';
import { RunsQueryService } from './runs-query.service.js';
import {
  noticeListSchema,
  previewRunSchema,
  requestRunSchema,
  retryNoticesSchema,
  retryRunSchema,
  runListSchema,
  runReasonSchema,
  stepListSchema,
  type NoticeListQuery,
  type PreviewRunInput,
  type RequestRunInput,
  type RetryNoticesInput,
  type RetryRunInput,
  type RunListQuery,
  type StepListQuery,
} from './runs.schemas.js';

const actorOf = (auth: AuthContext): IncidentActor => ({ id: auth.user.id, email: auth.user.email });
type ReasonBody = z.infer<typeof runReasonSchema>;

/** Remediation runs: the dry-run preview and the request (per incident), then each run's controls and reads. */
@ApiTags('remediation runs')
@Controller('api')
export class RunsController {
  constructor(
    private readonly requests: RunRequestsService,
    private readonly controls: RunControlsService,
    private readonly notices: RunNoticesService,
    private readonly query: RunsQueryService,
  ) {}

  @Post('incidents/:id/runs/preview')
  @HttpCode(200)
  @Permission('runs.preview')
  @ApiBody({ schema: openApiSchema(previewRunSchema) })
  preview(@Param('id') id: string, @Body(new ZodPipe(previewRunSchema)) body: PreviewRunInput) {
    return this.requests.preview(id, body.actions);
  }

  @Post('incidents/:id/runs')
  @Permission('runs.create')
  @ApiBody({ schema: openApiSchema(requestRunSchema) })
  request(@Param('id') id: string, @Body(new ZodPipe(requestRunSchema)) body: RequestRunInput, @CurrentAuth() auth: AuthContext) {
    return this.requests.request(id, body, actorOf(auth));
  }

  /** `awaitingMyApproval=true`: the runs the caller may approve (an incident commander who did not request them). */
  @Get('runs')
  @Permission('runs.list')
  list(@Query(new ZodPipe(runListSchema, 'query')) query: RunListQuery, @CurrentAuth() auth: AuthContext) {
    return this.query.list(query, { id: auth.user.id, roles: auth.user.roles });
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

  @Get('runs/:id/notices')
  @Permission('runs.notices')
  noticeList(@Param('id') id: string, @Query(new ZodPipe(noticeListSchema, 'query')) query: NoticeListQuery) {
    return this.query.notices(id, query);
  }

  /** A sent notice as the mail sink received it: a redirect to the sink's rendered copy (demo and test stacks). */
  @Get('runs/:id/notices/:noticeId/message')
  @Permission('runs.notices')
  @Redirect()
  async noticeMessage(@Param('id') id: string, @Param('noticeId') noticeId: string) {
    return { url: await this.notices.sinkMessageUrl(id, noticeId), statusCode: 302 };
  }

  @Post('runs/:id/notices/retry')
  @HttpCode(200)
  @Permission('runs.retry-notices')
  @ApiBody({ schema: openApiSchema(retryNoticesSchema) })
  retryNotices(@Param('id') id: string, @Body(new ZodPipe(retryNoticesSchema)) body: RetryNoticesInput, @CurrentAuth() auth: AuthContext) {
    return this.notices.retryFailed(id, body, actorOf(auth));
  }

  @Post('runs/:id/approve')
  @HttpCode(200)
  @Permission('runs.approve')
  @ApiBody({ schema: openApiSchema(runReasonSchema) })
  approve(@Param('id') id: string, @Body(new ZodPipe(runReasonSchema)) body: ReasonBody, @CurrentAuth() auth: AuthContext) {
    return this.requests.approve(id, body.reason, actorOf(auth));
  }

  @Post('runs/:id/reject')
  @HttpCode(200)
  @Permission('runs.approve')
  @ApiBody({ schema: openApiSchema(runReasonSchema) })
  reject(@Param('id') id: string, @Body(new ZodPipe(runReasonSchema)) body: ReasonBody, @CurrentAuth() auth: AuthContext) {
    return this.requests.reject(id, body.reason, actorOf(auth));
  }

  @Post('runs/:id/pause')
  @HttpCode(200)
  @Permission('runs.control')
  @ApiBody({ schema: openApiSchema(runReasonSchema) })
  pause(@Param('id') id: string, @Body(new ZodPipe(runReasonSchema)) body: ReasonBody, @CurrentAuth() auth: AuthContext) {
    return this.controls.pause(id, body.reason, actorOf(auth));
  }

  @Post('runs/:id/resume')
  @HttpCode(200)
  @Permission('runs.control')
  @ApiBody({ schema: openApiSchema(runReasonSchema) })
  resume(@Param('id') id: string, @Body(new ZodPipe(runReasonSchema)) body: ReasonBody, @CurrentAuth() auth: AuthContext) {
    return this.controls.resume(id, body.reason, actorOf(auth));
  }

  @Post('runs/:id/cancel')
  @HttpCode(200)
  @Permission('runs.control')
  @ApiBody({ schema: openApiSchema(runReasonSchema) })
  cancel(@Param('id') id: string, @Body(new ZodPipe(runReasonSchema)) body: ReasonBody, @CurrentAuth() auth: AuthContext) {
    return this.controls.cancel(id, body.reason, actorOf(auth));
  }

  @Post('runs/:id/retry')
  @HttpCode(200)
  @Permission('runs.control')
  @ApiBody({ schema: openApiSchema(retryRunSchema) })
  retry(@Param('id') id: string, @Body(new ZodPipe(retryRunSchema)) body: RetryRunInput, @CurrentAuth() auth: AuthContext) {
    return this.controls.retry(id, body, actorOf(auth));
  }
}
