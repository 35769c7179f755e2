import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBody, ApiTags } from '@nestjs/swagger';
import type { z } from 'zod';
import { openApiSchema, ZodPipe } from '../http/validation.js';
import { Permission } from './access.decorators.js';
import { createUserSchema, updateUserSchema, userListSchema } from './users.schemas.js';
import { UsersService } from './users.service.js';

@ApiTags('users')
@Controller('api/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @Permission('users.list')
  list(@Query(new ZodPipe(userListSchema, 'query')) query: z.infer<typeof userListSchema>) {
    return this.users.list(query);
  }

  @Get(':id')
  @Permission('users.show')
  get(@Param('id') id: string) {
    return this.users.get(id);
  }

  @Post()
  @Permission('users.create')
  @ApiBody({ schema: openApiSchema(createUserSchema) })
  create(@Body(new ZodPipe(createUserSchema)) body: z.infer<typeof createUserSchema>) {
    return this.users.create(body);
  }

  @Patch(':id')
  @Permission('users.edit')
  @ApiBody({ schema: openApiSchema(updateUserSchema) })
  update(@Param('id') id: string, @Body(new ZodPipe(updateUserSchema)) body: z.infer<typeof updateUserSchema>) {
    return this.users.update(id, body);
  }
}
