import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBody, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { z } from 'zod';
import { Permission } from '../auth/access.decorators.js';
import { CurrentAuth, type AuthContext } from '../auth/auth-context.js';
import { openApiSchema, ZodPipe } from '../http/validation.js';
import type { OrderFilter } from '../orders/orders.schemas.js';
import type { IncidentActor } from './incident-store.js';
import { IncidentsQueryService } from './incidents-query.service.js';
import {
  declareIncidentSchema,
  incidentListSchema,
  incidentOrdersSchema,
  memberCountSchema,
  membershipSchema,
  postUpdateSchema,
  timelineSchema,
  transitionSchema,
  updateIncidentSchema,
  type DeclareIncidentInput,
  type IncidentListQuery,
  type IncidentOrdersQuery,
  type MembershipInput,
  type TimelineQuery,
  type UpdateIncidentInput,
} from './incidents.schemas.js';
import { IncidentsService } from './incidents.service.js';

const actorOf = (auth: AuthContext): IncidentActor => ({ id: auth.user.id, email: auth.user.email });

@ApiTags('incidents')
@Controller('api/incidents')
export class IncidentsController {
  constructor(
    private readonly incidents: IncidentsService,
    private readonly query: IncidentsQueryService,
  ) {}

  @Get()
  @Permission('incidents.list')
  list(@Query(new ZodPipe(incidentListSchema, 'query')) query: IncidentListQuery) {
    return this.query.list(query);
  }

  @Post()
  @Permission('incidents.create')
  @ApiBody({ schema: openApiSchema(declareIncidentSchema) })
  declare(@Body(new ZodPipe(declareIncidentSchema)) body: DeclareIncidentInput, @CurrentAuth() auth: AuthContext) {
    return this.incidents.declare(body, actorOf(auth));
  }

  @Get(':id')
  @Permission('incidents.show')
  get(@Param('id') id: string) {
    return this.query.get(id);
  }

  @Patch(':id')
  @Permission('incidents.edit')
  @ApiBody({ schema: openApiSchema(updateIncidentSchema) })
  update(@Param('id') id: string, @Body(new ZodPipe(updateIncidentSchema)) body: UpdateIncidentInput, @CurrentAuth() auth: AuthContext) {
    return this.incidents.update(id, body, actorOf(auth));
  }

  @Post(':id/transition')
  @HttpCode(200)
  @Permission('incidents.edit')
  @ApiBody({ schema: openApiSchema(transitionSchema) })
  transition(
    @Param('id') id: string,
    @Body(new ZodPipe(transitionSchema)) body: z.infer<typeof transitionSchema>,
    @CurrentAuth() auth: AuthContext,
  ) {
    return this.incidents.transition(id, body.to, body.reason, actorOf(auth));
  }

  @Post(':id/updates')
  @Permission('incidents.post-update')
  @ApiBody({ schema: openApiSchema(postUpdateSchema) })
  postUpdate(
    @Param('id') id: string,
    @Body(new ZodPipe(postUpdateSchema)) body: z.infer<typeof postUpdateSchema>,
    @CurrentAuth() auth: AuthContext,
  ) {
    return this.incidents.postUpdate(id, body.message, actorOf(auth));
  }

  @Post(':id/members')
  @HttpCode(200)
  @Permission('incidents.members')
  @ApiBody({ schema: openApiSchema(membershipSchema) })
  changeMembers(@Param('id') id: string, @Body(new ZodPipe(membershipSchema)) body: MembershipInput, @CurrentAuth() auth: AuthContext) {
    return this.incidents.changeMembers(id, body, actorOf(auth));
  }

  /** The exact count of a filter, shown before acting on "all orders matching it". */
  @Get(':id/members/count')
  @Permission('incidents.show')
  countMatching(@Param('id') id: string, @Query(new ZodPipe(memberCountSchema, 'query')) filter: OrderFilter) {
    return this.query.countMatching(id, filter);
  }

  @Get(':id/orders')
  @Permission('incidents.show')
  orders(@Param('id') id: string, @Query(new ZodPipe(incidentOrdersSchema, 'query')) query: IncidentOrdersQuery) {
    return this.query.orders(id, query);
  }

  @Get(':id/timeline')
  @Permission('incidents.show')
  timeline(@Param('id') id: string, @Query(new ZodPipe(timelineSchema, 'query')) query: TimelineQuery) {
    return this.query.timeline(id, query);
  }

  @Get(':id/summary.md')
  @Permission('incidents.show')
  async summary(@Param('id') id: string, @Res({ passthrough: true }) res: Response) {
    const { fileName, markdown } = await this.query.summaryMarkdown(id);
    res.setHeader('Content-Type', 'text/markdown; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="${fileName}"`);
    return markdown;
  }
}
