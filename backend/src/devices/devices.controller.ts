import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Permission } from '../auth/access.decorators.js';
import { ZodPipe } from '../http/validation.js';
import { DevicesQueryService } from './devices-query.service.js';
import { deviceListSchema, type DeviceListQuery } from './devices.schemas.js';

@ApiTags('devices')
@Controller('api/devices')
export class DevicesController {
  constructor(private readonly devices: DevicesQueryService) {}

  @Get()
  @Permission('devices.list')
  list(@Query(new ZodPipe(deviceListSchema, 'query')) query: DeviceListQuery) {
    return this.devices.list(query);
  }

  @Get(':id')
  @Permission('devices.show')
  get(@Param('id') id: string) {
    return this.devices.get(id);
  }
}
