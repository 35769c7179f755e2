import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Permission } from '../auth/access.decorators.js';
import { ZodPipe } from '../http/validation.js';
import { OrdersQueryService } from './orders-query.service.js';
import { orderListSchema, type OrderListQuery } from './orders.schemas.js';

@ApiTags('orders')
@Controller('api/orders')
export class OrdersController {
  constructor(private readonly orders: OrdersQueryService) {}

  @Get()
  @Permission('orders.list')
  list(@Query(new ZodPipe(orderListSchema, 'query')) query: OrderListQuery) {
    return this.orders.list(query);
  }

  @Get(':id')
  @Permission('orders.show')
  get(@Param('id') id: string) {
    return this.orders.get(id);
  }
}
