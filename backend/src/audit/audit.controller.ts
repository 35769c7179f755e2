import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { z } from 'zod';
import { Permission } from '../auth/access.decorators.js';
import { ZodPipe } from '../http/validation.js';
import { AuditQueryService } from './audit-query.service.js';
import { auditListSchema } from './audit.schemas.js';

/** Read-only by design: the log has no write route at all. */
@ApiTags('audit')
@Controller('api/audit-log')
export class AuditController {
  constructor(private readonly audit: AuditQueryService) {}

  @Get()
  @Permission('audit-log.list')
  list(@Query(new ZodPipe(auditListSchema, 'query')) query: z.infer<typeof auditListSchema>) {
    return this.audit.list(query);
  }

  @Get(':id')
  @Permission('audit-log.show')
  get(@Param('id') id: string) {
    return this.audit.get(id);
  }
}
