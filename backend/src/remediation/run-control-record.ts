import { ConflictException } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AuditService } from '../audit/audit.service.js';
import { recordEvent, type IncidentActor } from '../incidents/incident-store.js';
import { controlProblem, runReference, type RunControl } from './run-lifecycle.js';
import { lockRun, type RunRow } from './run-store.js';

/** Locks the run for a control; 409 naming the run's state when the control does not apply to it (nothing changed). */
export async function lockForControl(manager: EntityManager, id: string, control: RunControl): Promise<RunRow> {
  const run = await lockRun(manager, id);
  const problem = controlProblem(control, runReference(run.number), run.status);
  if (problem) throw new ConflictException(`${problem}; nothing was changed`);
  return run;
}

/**
 * Work given back to a run that had completed (a retry of failed steps or
 * notices) makes it run again: its finish and report are cleared, and the
 * engine completes it anew when that work is done. Returns the note the
 * timeline adds to the retry's message (`whenPaused`: what happens in a paused run).
 */
export async function reopenForRetry(manager: EntityManager, run: RunRow, whenPaused: string): Promise<string> {
  if (run.status === 'completed') {
    await manager.query(
      `UPDATE remediation_run SET status = 'running', finished_at = NULL, report = NULL, updated_at = now() WHERE id = $1`,
      [run.id],
    );
    return '; the run runs again';
  }
  return run.status === 'paused' ? ` (${whenPaused})` : '';
}

/**
 * The timeline event (kind `remediation`) and the audit row (`runs.<event>`)
 * of a person's control of a run, in the control's transaction.
 */
export async function recordControl(
  manager: EntityManager,
  audit: AuditService,
  run: RunRow,
  actor: IncidentActor,
  event: RunControl | 'retry-notices',
  reason: string,
  message: string,
  data: Record<string, unknown> = {},
): Promise<void> {
  await recordEvent(manager, run.incidentId, 'remediation', actor, `${message}: ${reason}`, {
    runId: run.id,
    event,
    reason,
    ...data,
  });
  await audit.record(manager, {
    action: `runs.${event}`,
    targetType: 'remediation_run',
    targetId: run.id,
    reason,
    summary: { number: run.number, incidentId: run.incidentId, from: run.status, ...data },
  });
}
