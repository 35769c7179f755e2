import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBody, ApiTags } from '@nestjs/swagger';
import { Permission } from '../auth/access.decorators.js';
import { CurrentAuth, type AuthContext } from '../auth/auth-context.js';
import { openApiSchema, ZodPipe } from '../http/validation.js';
import {
  createQuarantineSchema,
  quarantineListSchema,
  releaseQuarantineSchema,
  type CreateQuarantine,
  type QuarantineListQuery,
  type ReleaseQuarantine,
} from './quarantine.schemas.js';
import { QuarantinesQueryService } from './quarantines-query.service.js';
import { QuarantinesService } from './quarantines.service.js';

@ApiTags('quarantines')
@Controller('api/quarantines')
export class QuarantinesController {
  constructor(
    private readonly quarantines: QuarantinesService,
    private readonly queries: QuarantinesQueryService,
  ) {}

  @Get()
  @Permission('quarantines.list')
  list(@Query(new ZodPipe(quarantineListSchema, 'query')) query: QuarantineListQuery) {
    return this.queries.list(query);
  }

  @Get(':id')
  @Permission('quarantines.show')
  get(@Param('id') id: string) {
    return this.queries.get(id);
  }

  @Post()
  @Permission('quarantines.create')
  @ApiBody({ schema: openApiSchema(createQuarantineSchema) })
  create(@Body(new ZodPipe(createQuarantineSchema)) body: CreateQuarantine, @CurrentAuth() auth: AuthContext) {
    return this.quarantines.create(body, auth.user);
  }

  @Post(':id/release')
  @HttpCode(200)
  @Permission('quarantines.release')
  @ApiBody({ schema: openApiSchema(releaseQuarantineSchema) })
  release(@Param('id') id: string, @Body(new ZodPipe(releaseQuarantineSchema)) body: ReleaseQuarantine, @CurrentAuth() auth: AuthContext) {
    return this.quarantines.release(id, body, auth.user);
  }
}
