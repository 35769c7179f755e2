import { Injectable } from '@nestjs/common';
import type { JobData, JobOutcome } from '../jobs/job-catalogue.js';
import { JobHandler } from '../jobs/job-handler.decorator.js';
import { DetectionService } from './detection.service.js';

@Injectable()
export class DetectionJobs {
  constructor(private readonly detection: DetectionService) {}

  @JobHandler('detection.run')
  async run(data: JobData<'detection.run'>): Promise<JobOutcome> {
    const report = await this.detection.runPass(data.trigger);
    if (report.skipped) return { status: 'skipped', reason: report.skipped };
    return { status: 'success', detail: { ...report } };
  }
}
