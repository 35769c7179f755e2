import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/access.decorators.js';
import { HealthService, type HealthReport } from './health.service.js';

@ApiTags('system')
@Controller('api/health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get()
  @Public('load balancers and the login page probe it before anyone signs in')
  @ApiOkResponse({ description: 'Everything needed to run recovery works (status ok or degraded)' })
  @ApiServiceUnavailableResponse({ description: 'A dependency is down or unsafe (status error)' })
  async check(@Res({ passthrough: true }) res: Response): Promise<HealthReport> {
    const report = await this.health.report();
    res.status(report.status === 'error' ? 503 : 200);
    res.setHeader('Cache-Control', 'no-store');
    return report;
  }
}
