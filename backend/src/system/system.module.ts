import { Module } from '@nestjs/common';
import { SystemController } from './system.controller.js';
import { SystemJobs } from './system.jobs.js';

@Module({ controllers: [SystemController], providers: [SystemJobs] })
export class SystemModule {}
