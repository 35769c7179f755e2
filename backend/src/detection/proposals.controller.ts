import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBody, ApiTags } from '@nestjs/swagger';
import type { z } from 'zod';
import { Permission } from '../auth/access.decorators.js';
import { openApiSchema, ZodPipe } from '../http/validation.js';
import { DetectionService } from './detection.service.js';
import { dismissSchema, proposalListSchema } from './proposals.schemas.js';
import { ProposalsService } from './proposals.service.js';

@ApiTags('detection')
@Controller('api/proposals')
export class ProposalsController {
  constructor(
    private readonly proposals: ProposalsService,
    private readonly detection: DetectionService,
  ) {}

  @Get()
  @Permission('proposals.list')
  list(@Query(new ZodPipe(proposalListSchema, 'query')) query: z.infer<typeof proposalListSchema>) {
    return this.proposals.list(query);
  }

  /** Runs a detection pass now (the schedule runs it every DETECTION_INTERVAL_MINUTES too). */
  @Post('run')
  @HttpCode(200)
  @Permission('proposals.run')
  run() {
    return this.detection.runPass('manual');
  }

  @Get(':id')
  @Permission('proposals.show')
  get(@Param('id') id: string) {
    return this.proposals.get(id);
  }

  @Post(':id/dismiss')
  @HttpCode(200)
  @Permission('proposals.dismiss')
  @ApiBody({ schema: openApiSchema(dismissSchema) })
  dismiss(@Param('id') id: string, @Body(new ZodPipe(dismissSchema)) body: z.infer<typeof dismissSchema>) {
    return this.proposals.dismiss(id, body.reason);
  }
}
