import { Module } from '@nestjs/common';
import { DevicesQueryService } from './devices-query.service.js';
import { DevicesController } from './devices.controller.js';

@Module({ controllers: [DevicesController], providers: [DevicesQueryService] })
export class DevicesModule {}
