import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Machine } from '../auth/access.decorators.js';
import { ZodPipe } from '../http/validation.js';
import { DeviceAuthorizationService } from './device-authorization.service.js';
import type { DeviceDecision } from './device-decision.js';
import { authorizationQuerySchema, deviceIdParamSchema, type AuthorizationQuery } from './quarantine.schemas.js';

/**
 * The storefront asks before it accepts an order from a device. Hot path:
 * a cache hit touches neither PostgreSQL nor Redis (bench/device-check.ts).
 */
@ApiTags('storefront')
@Controller('api/storefront/devices')
export class StorefrontController {
  constructor(private readonly authorizations: DeviceAuthorizationService) {}

  @Get(':id/authorization')
  @Machine('storefront')
  authorization(
    @Param('id', new ZodPipe(deviceIdParamSchema, 'device id')) deviceId: string,
    @Query(new ZodPipe(authorizationQuerySchema, 'query')) query: AuthorizationQuery,
  ): Promise<DeviceDecision> {
    return this.authorizations.check(deviceId, query);
  }
}
