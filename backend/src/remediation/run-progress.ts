import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { PreparedStatement } from '../database/prepared-statement.js';
import { recordEvent } from '../incidents/incident-store.js';
import { openStepStatusList, runReference } from './run-lifecycle.js';
import { buildReport, executedFigures } from './run-report.js';
import { lockRun, remediationActor } from './run-store.js';
import type { RunFigures } from './run-figures.js';

/**
 * Steps or notices still open in run `r`, and the run's status: the columns of
 * `openWork`, also read by the engine together with its after-step checks.
 */
export const openWorkColumns = `r.status,
  EXISTS (SELECT 1 FROM remediation_step s WHERE s.run_id = r.id AND s.status IN ${openStepStatusList}) AS "openSteps",
  EXISTS (SELECT 1 FROM notification_outbox n WHERE n.run_id = r.id AND n.status IN ('pending', 'sending')) AS "openNotices"`;

const openWork = new PreparedStatement(`SELECT ${openWorkColumns} FROM remediation_run r WHERE r.id = $1`);

export interface OpenWork {
  status: string;
  openSteps: boolean;
  openNotices: boolean;
}

/** A running run is done when nothing is open; a cancelling one when what was in flight has finished. */
const finishedAs = (work: OpenWork): 'completed' | 'cancelled' | null => {
  if (work.openSteps || work.openNotices) return null;
  if (work.status === 'running') return 'completed';
  if (work.status === 'cancelling') return 'cancelled';
  return null;
};

/**
 * Finishes runs. The engine calls `stepFinished` after each step becomes final
 * (succeeded, skipped, failed) and `notificationFinished` after each notice is
 * sent or fails, outside its own transaction: when nothing is left open the run
 * is completed (or, while cancelling, cancelled) with its report — executed
 * figures beside the preview's and every difference.
 *
 * Cheap when work is left (two EXISTS probes, no lock), so calling it after
 * every one of 10,000 steps costs little; the last of several workers to
 * finish always sees nothing open, and the run row lock makes finishing happen once.
 */
@Injectable()
export class RunProgress {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  stepFinished(runId: string): Promise<'completed' | 'cancelled' | null> {
    return this.settle(runId);
  }

  notificationFinished(runId: string): Promise<'completed' | 'cancelled' | null> {
    return this.settle(runId);
  }

  /**
   * Finishes the run if nothing is left open; returns how it finished, or null when it goes on.
   * `probed`: the open work as the caller just read it (after its commit), instead of reading it again.
   */
  async settle(runId: string, probed?: OpenWork): Promise<'completed' | 'cancelled' | null> {
    const probe = probed ?? (await openWork.run<OpenWork>(this.dataSource, [runId]))[0];
    if (!probe || !finishedAs(probe)) return null;
    return this.dataSource.transaction(async (manager) => {
      const run = await lockRun(manager, runId);
      const [work] = await openWork.run<OpenWork>(manager, [runId]);
      const outcome = finishedAs(work!);
      if (!outcome) return null;
      const [{ plan, now }] = await manager.query(`SELECT plan, now() AS now FROM remediation_run WHERE id = $1`, [runId]);
      const executed = await executedFigures(manager, runId, (plan as RunFigures | null) ?? run.preview);
      const report = buildReport(outcome, run.preview, plan, executed, now);
      await manager.query(`UPDATE remediation_run SET status = $2, finished_at = $3, report = $4, updated_at = now() WHERE id = $1`, [
        runId,
        outcome,
        now,
        report,
      ]);
      const reference = runReference(run.number);
      await recordEvent(
        manager,
        run.incidentId,
        'remediation',
        remediationActor,
        `${reference} ${report.summary.replace(/^./, (c) => c.toLowerCase())}`,
        {
          runId,
          event: outcome,
          matchesPreview: report.matchesPreview,
          differences: report.differences,
        },
      );
      await this.audit.record(
        manager,
        {
          action: outcome === 'completed' ? 'runs.complete' : 'runs.cancelled',
          targetType: 'remediation_run',
          targetId: runId,
          summary: {
            number: run.number,
            incidentId: run.incidentId,
            matchesPreview: report.matchesPreview,
            differences: report.differences,
          },
        },
        remediationActor,
      );
      return outcome;
    });
  }
}
