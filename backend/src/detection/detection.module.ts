import { Module } from '@nestjs/common';
import { ProposalsService } from './proposals.service.js';

@Module({ providers: [ProposalsService], exports: [ProposalsService] })
export class DetectionModule {}
