import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { roles, type Role } from '../auth/roles.js';
import { DetectionRuleSettings } from '../detection/detection-rule-settings.js';
import { queueBoardPath } from '../queue-board/queue-board-path.js';
import { dashboardTopN } from './dashboard-limits.js';

/**
 * GET /api/dashboard/admin: users (counts per role and active, the newest
 * few), the detection rules with their thresholds (as the rules page shows
 * them) and where the queue dashboard is.
 */
@Injectable()
export class AdminDashboard {
  constructor(
    private readonly dataSource: DataSource,
    private readonly rules: DetectionRuleSettings,
  ) {}

  async read() {
    const [[counts], roleCounts, recent, rules] = await Promise.all([
      this.dataSource.query(
        `SELECT count(*) AS total, count(*) FILTER (WHERE active) AS active,
                count(*) FILTER (WHERE last_login_at > now() - interval '7 days') AS "signedInLast7Days"
         FROM app_user`,
      ) as Promise<{ total: number; active: number; signedInLast7Days: number }[]>,
      this.dataSource.query(`SELECT unnest(roles) AS role, count(*) AS n FROM app_user WHERE active GROUP BY 1`) as Promise<
        { role: Role; n: number }[]
      >,
      this.dataSource.query(
        `SELECT id, email, full_name AS "fullName", roles, active, created_at AS "createdAt", last_login_at AS "lastLoginAt"
         FROM app_user ORDER BY created_at DESC, id LIMIT $1`,
        [dashboardTopN],
      ),
      this.rules.list(),
    ]);
    const activeByRole = Object.fromEntries(roles.map((role) => [role, 0])) as Record<Role, number>;
    for (const row of roleCounts) if (row.role in activeByRole) activeByRole[row.role] = row.n;
    return {
      users: { ...counts, activeByRole, recent },
      detectionRules: rules.map(({ id, title, enabled, thresholds, updatedAt }) => ({ id, title, enabled, thresholds, updatedAt })),
      queueBoard: { path: queueBoardPath },
    };
  }
}
