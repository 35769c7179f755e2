import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { DeviceAuthorizationService } from './device-authorization.service.js';
import { QuarantineChanges } from './quarantine-changes.js';
import { QuarantinesQueryService } from './quarantines-query.service.js';
import { QuarantinesController } from './quarantines.controller.js';
import { QuarantinesService } from './quarantines.service.js';
import { StorefrontController } from './storefront.controller.js';

@Module({
  imports: [AuditModule],
  controllers: [QuarantinesController, StorefrontController],
  providers: [QuarantineChanges, DeviceAuthorizationService, QuarantinesService, QuarantinesQueryService],
  exports: [DeviceAuthorizationService, QuarantinesService],
})
export class QuarantineModule {}
