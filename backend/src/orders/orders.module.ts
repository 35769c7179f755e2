import { Module } from '@nestjs/common';
import { CustomersQueryService } from './customers-query.service.js';
import { CustomersController } from './customers.controller.js';
import { OrdersQueryService } from './orders-query.service.js';
import { OrdersController } from './orders.controller.js';

@Module({ controllers: [OrdersController, CustomersController], providers: [OrdersQueryService, CustomersQueryService] })
export class OrdersModule {}
