import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Permission } from '../auth/access.decorators.js';
import { CurrentAuth, type AuthContext } from '../auth/auth-context.js';
import { AdminDashboard } from './admin-dashboard.js';
import { AgentDashboard } from './agent-dashboard.js';
import { CommanderDashboard } from './commander-dashboard.js';
import { FinanceDashboard } from './finance-dashboard.js';

/** One read per role's landing section; a user with several roles asks for each of theirs. */
@ApiTags('dashboard')
@Controller('api/dashboard')
export class DashboardController {
  constructor(
    private readonly agent: AgentDashboard,
    private readonly finance: FinanceDashboard,
    private readonly commander: CommanderDashboard,
    private readonly admin: AdminDashboard,
  ) {}

  @Get('agent')
  @Permission('dashboard.agent')
  agentSection() {
    return this.agent.read();
  }

  @Get('finance')
  @Permission('dashboard.finance')
  financeSection() {
    return this.finance.read();
  }

  @Get('commander')
  @Permission('dashboard.commander')
  commanderSection(@CurrentAuth() auth: AuthContext) {
    return this.commander.read({ id: auth.user.id, roles: auth.user.roles });
  }

  @Get('admin')
  @Permission('dashboard.admin')
  adminSection() {
    return this.admin.read();
  }
}
