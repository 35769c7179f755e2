import { Global, Module } from '@nestjs/common';
import { APP_GUARD, DiscoveryModule } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module.js';
import { AccessGuard } from './access.guard.js';
import { AuthController } from './auth.controller.js';
import { AuthService } from './auth.service.js';
import { LoginThrottle } from './login-throttle.js';
import { MachineCredentials } from './machine-credentials.js';
import { RouteInventory } from './route-inventory.js';
import { Session } from './session.entity.js';
import { SessionsService } from './sessions.service.js';
import { User } from './user.entity.js';
import { UsersController } from './users.controller.js';
import { UsersService } from './users.service.js';

/** Users, sessions and the access guard that every route passes. */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([User, Session]), AuditModule, DiscoveryModule],
  controllers: [AuthController, UsersController],
  providers: [
    { provide: APP_GUARD, useClass: AccessGuard },
    AuthService,
    UsersService,
    SessionsService,
    LoginThrottle,
    MachineCredentials,
    RouteInventory,
  ],
  exports: [SessionsService, RouteInventory],
})
export class AuthModule {}
