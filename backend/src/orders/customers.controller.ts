import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Permission } from '../auth/access.decorators.js';
import { ZodPipe } from '../http/validation.js';
import { CustomersQueryService } from './customers-query.service.js';
import { customerListSchema, type CustomerListQuery } from './customers.schemas.js';

@ApiTags('customers')
@Controller('api/customers')
export class CustomersController {
  constructor(private readonly customers: CustomersQueryService) {}

  @Get()
  @Permission('customers.list')
  list(@Query(new ZodPipe(customerListSchema, 'query')) query: CustomerListQuery) {
    return this.customers.list(query);
  }

  @Get(':id')
  @Permission('customers.show')
  get(@Param('id') id: string) {
    return this.customers.get(id);
  }
}
