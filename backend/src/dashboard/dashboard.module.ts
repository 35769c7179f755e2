import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { DetectionRuleSettings } from '../detection/detection-rule-settings.js';
import { RemediationModule } from '../remediation/remediation.module.js';
import { AdminDashboard } from './admin-dashboard.js';
import { AgentDashboard } from './agent-dashboard.js';
import { CommanderDashboard } from './commander-dashboard.js';
import { DashboardController } from './dashboard.controller.js';
import { FinanceDashboard } from './finance-dashboard.js';

/**
 * The landing dashboards, one read per role (API only: the worker has no use
 * for them). Reads only; each figure is a SQL aggregate or a short list.
 */
@Module({
  imports: [AuditModule, RemediationModule],
  controllers: [DashboardController],
  // DetectionRuleSettings is stateless: reading the rules through it here keeps one way of listing them.
  providers: [AgentDashboard, FinanceDashboard, CommanderDashboard, AdminDashboard, DetectionRuleSettings],
})
export class DashboardModule {}
