import { Body, Controller, Get, Param, Patch } from '@nestjs/common';
import { ApiBody, ApiTags } from '@nestjs/swagger';
import type { z } from 'zod';
import { Permission } from '../auth/access.decorators.js';
import { openApiSchema, ZodPipe } from '../http/validation.js';
import { DetectionRuleSettings, ruleUpdateSchema } from './detection-rule-settings.js';

@ApiTags('detection')
@Controller('api/detection-rules')
export class DetectionRulesController {
  constructor(private readonly settings: DetectionRuleSettings) {}

  @Get()
  @Permission('detection-rules.list')
  async list() {
    const data = await this.settings.list();
    return { data, total: data.length };
  }

  @Get(':id')
  @Permission('detection-rules.list')
  get(@Param('id') id: string) {
    return this.settings.get(id);
  }

  @Patch(':id')
  @Permission('detection-rules.edit')
  @ApiBody({ schema: openApiSchema(ruleUpdateSchema) })
  update(@Param('id') id: string, @Body(new ZodPipe(ruleUpdateSchema)) body: z.infer<typeof ruleUpdateSchema>) {
    return this.settings.update(id, body);
  }
}
