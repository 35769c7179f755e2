import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { DataSource, type EntityManager } from 'typeorm';
import { defaultJobOptions, type JobOutcome } from '../../jobs/job-catalogue.js';
import type { JobContext } from '../../jobs/handler-discovery.js';
import { PreparedStatement } from '../../database/prepared-statement.js';
import { JobQueueService } from '../../jobs/job-queue.service.js';
import type { RatePacer, SlotSchedule } from '../../jobs/rate-pacer.js';
import { renderNotice, reportedRefundIds, type NoticeContent, type NoticeTemplate } from '../../notifications/customer-notice.js';
import { MAILER, newMessageId, type Mailer } from '../../notifications/mailer.js';
import { LOGGER } from '../../observability/observability.module.js';
import { ProviderFailure } from '../../payments/provider-failure.js';
import { RunProgress } from '../run-progress.js';
import { buildNoticeContents } from './notice-content.js';
import { describe } from './describe-failure.js';
import { openStepStatusList } from '../run-lifecycle.js';
import { ProviderBudgets } from './provider-budgets.js';
import { byJob, inChunks, newChunkJobId } from './step-chunks.js';

/** Sent when a refund that a sent notice reported as issued fails afterwards (one per customer and incident). */
export const refundFailedTemplate = 'refund_failed';

/** How long the relay is left alone after it said "too many" without saying for how long. */
const defaultRateLimitPauseMs = 1000;
const maxRefusalsInARow = 20;

/**
 * Whether the notice `n`'s customer still has open steps in its run. Driven from the customer's
 * orders (a few) into the open-steps index (run, order): planned the other way round, it read
 * every open step of the run for each notice — seconds per release over a 10k-order run.
 */
const openSteps = `SELECT 1 FROM orders o
                    CROSS JOIN LATERAL (SELECT 1 FROM remediation_step s
                                         WHERE s.run_id = n.run_id AND s.order_id = o.id AND s.status IN ${openStepStatusList}
                                         LIMIT 1) open_step
                    WHERE o.customer_id = n.customer_id`;

/**
 * `handed`: the notices of steps $1's customers in the steps' run that are now due — none of the
 * customer's steps there is open any more — and have no job yet, given job $3 (a CTE list, used
 * with the run's open-work probe after each chunk). The customers' notices first (materialized: one
 * row per customer and template at most), then the open-steps check on them alone.
 *
 * A notice is looked up by (run, customer) behind an OFFSET 0 fence, which the planner can neither
 * flatten nor push the status filter into: planned freely, a planner that still took the just-filled
 * outbox for empty (its statistics lag a run's planning) scanned every pending notice of the run for
 * every step — 3,500 buffers per step, half of them in a 2k-order bench run — instead of about 20.
 */
export const dueNoticesOfSteps = `
  mine AS MATERIALIZED (
    SELECT DISTINCT n.id, n.run_id, n.customer_id FROM remediation_step st JOIN orders so ON so.id = st.order_id
      JOIN remediation_run r ON r.id = st.run_id
      CROSS JOIN LATERAL (SELECT n.id, n.run_id, n.customer_id, n.status, n.job_id FROM notification_outbox n
                           WHERE n.run_id = st.run_id AND n.customer_id = so.customer_id OFFSET 0) n
     WHERE st.id = ANY($1::uuid[]) AND n.status IN ('pending', 'sending') AND n.job_id IS NULL AND r.status <> 'paused'),
  due AS (SELECT n.id FROM mine n WHERE NOT EXISTS (${openSteps})),
  locked AS MATERIALIZED (SELECT n.id FROM notification_outbox n JOIN due ON due.id = n.id WHERE n.job_id IS NULL
                           ORDER BY n.id FOR UPDATE OF n),
  handed AS (UPDATE notification_outbox n SET job_id = $3, updated_at = now() FROM locked
              WHERE n.id = locked.id AND n.job_id IS NULL RETURNING n.id)`;

/** A chunk's notices with what sending them needs, locked (in id order) for the claim. */
const noticeClaim = new PreparedStatement(`
  SELECT n.id, n.run_id, n.incident_id, n.customer_id, n.template, n.status, n.job_id, n.message_id, n.content, n.to_address,
         r.status AS run_status, r.actions, i.number AS incident_number, c.email, c.name,
         EXISTS (${openSteps}) AS open_steps
    FROM notification_outbox n
    JOIN remediation_run r ON r.id = n.run_id
    JOIN incident i ON i.id = n.incident_id
    JOIN customer c ON c.id = n.customer_id
   WHERE n.id = ANY($1::uuid[])
   ORDER BY n.id
   FOR UPDATE OF n`);

/** Notices given new chunk jobs: only those still to send and without a job (a second hand-over is a no-op). */
const handOverStatement = new PreparedStatement(`
  WITH wanted AS (SELECT * FROM unnest($1::uuid[], $2::text[]) AS w(id, job_id)),
       locked AS MATERIALIZED (SELECT n.id FROM notification_outbox n JOIN wanted w ON w.id = n.id
                                WHERE n.job_id IS NULL AND n.status IN ('pending', 'sending') ORDER BY n.id FOR UPDATE OF n)
  UPDATE notification_outbox n SET job_id = w.job_id, updated_at = now()
    FROM locked l JOIN wanted w ON w.id = l.id
   WHERE n.id = l.id AND n.job_id IS NULL AND n.status IN ('pending', 'sending')
  RETURNING n.id, n.job_id AS "jobId"`);

interface ClaimedNotice {
  id: string;
  runId: string;
  to: string;
  messageId: string;
  content: NoticeContent;
}

type Delivery = { sent: true } | { failure: { code: string; message: string }; permanent: boolean };

/**
 * The outbox sender. A customer's notice is released (given a chunk job) once
 * all of that customer's steps in the run are final; sending is claim → SMTP
 * → record, like a step: `pending` → `sending` (the content fixed and
 * stored) → `sent`. The row is unique per (incident, customer, template), so
 * there is never a second notice of a kind, and it names the one job that may
 * send it, so two releases never send it twice at once; a crash after the
 * relay accepted the message resends the same content under the same
 * Message-ID (SMTP has no idempotency key; the Message-ID is what lets mail
 * clients show it once).
 */
@Injectable()
export class NoticeSender {
  private readonly logger: Logger;

  constructor(
    private readonly dataSource: DataSource,
    private readonly jobQueues: JobQueueService,
    private readonly progress: RunProgress,
    private readonly budgets: ProviderBudgets,
    @Inject(MAILER) private readonly mailer: Mailer,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ component: 'notice-sender' });
  }

  /** Every notice of the run that is due and has no job (a run without steps, resume, the sweep). */
  async releaseDue(runId: string): Promise<number> {
    const due: { id: string }[] = await this.dataSource.query(
      `SELECT n.id FROM notification_outbox n JOIN remediation_run r ON r.id = n.run_id
        WHERE n.run_id = $1 AND n.status IN ('pending', 'sending') AND n.job_id IS NULL AND r.status <> 'paused'
          AND NOT EXISTS (${openSteps})`,
      [runId],
    );
    return this.enqueue(due.map((row) => row.id));
  }

  /** Gives the notices without a job (and still to send) new chunk jobs. Returns how many were handed over. */
  async enqueue(outboxIds: string[]): Promise<number> {
    let handed = 0;
    for (const slice of inChunks(outboxIds, 1000)) {
      const planned = inChunks(slice, this.budgets.chunkSize('email')).flatMap((chunk) => {
        const jobId = newChunkJobId('notices');
        return chunk.map((id) => ({ id, jobId }));
      });
      const owned = await handOverStatement.run<{ id: string; jobId: string }>(this.dataSource, [
        planned.map((notice) => notice.id),
        planned.map((notice) => notice.jobId),
      ]);
      await this.addJobs(owned);
      handed += owned.length;
    }
    return handed;
  }

  /** Adds the chunk jobs that own these notices (a no-op for a job still waiting). */
  async addJobs(notices: { id: string; jobId: string }[]): Promise<void> {
    const jobs = byJob(notices);
    if (!jobs.size) return;
    await this.jobQueues
      .queue('email')
      .addBulk(
        [...jobs].map(([jobId, chunk]) => ({ name: 'remediation.notices', data: { outboxIds: chunk.map((n) => n.id) }, opts: { jobId } })),
      );
  }

  /** The `remediation.notices` job: one attempt at a chunk of notices. */
  async send(outboxIds: string[], context: JobContext): Promise<JobOutcome> {
    const pacer = this.budgets.pacer('email');
    const schedule = await pacer.reserve(outboxIds.length);
    await schedule.wait(0);
    const { claimed, failedRuns } = await this.claim(context.jobId, outboxIds);
    const deliveries = await Promise.all(claimed.map((notice, i) => this.deliver(notice, pacer, schedule, i)));

    const lastAttempt = context.attempt >= (defaultJobOptions.email.attempts ?? 1);
    const sent: ClaimedNotice[] = [];
    const failed: { notice: ClaimedNotice; message: string }[] = [];
    const retrying: { notice: ClaimedNotice; code: string; message: string }[] = [];
    claimed.forEach((notice, i) => {
      const delivery = deliveries[i]!;
      if ('sent' in delivery) sent.push(notice);
      else if (delivery.permanent) failed.push({ notice, message: delivery.failure.message });
      else if (lastAttempt) failed.push({ notice, message: `Gave up after ${context.attempt} attempts: ${delivery.failure.message}` });
      else retrying.push({ notice, ...delivery.failure });
    });
    await this.finish(sent, failed, failedRuns);
    if (retrying.length) {
      await this.dataSource.query(
        `UPDATE notification_outbox n SET error_message = v.message, updated_at = now()
           FROM unnest($1::uuid[], $2::text[]) AS v(id, message) WHERE n.id = v.id AND n.status = 'sending'`,
        [retrying.map(({ notice }) => notice.id), retrying.map(({ message }) => message.slice(0, 2000))],
      );
      for (const { notice, code, message } of retrying) {
        this.logger.warn({ outboxId: notice.id, attempt: context.attempt, code, err: message }, 'notice attempt failed; retrying');
      }
      await context.narrow({ outboxIds: retrying.map(({ notice }) => notice.id) });
      throw new Error(`${retrying.length} of ${claimed.length} notices failed transiently (${retrying[0]!.code}); retrying them`);
    }
    if (lastAttempt && failed.length) throw new Error(`${failed.length} notices failed after ${context.attempt} attempts`);
    return { status: 'success', detail: { notices: outboxIds.length, sent: sent.length, failed: failed.length } };
  }

  /**
   * Takes the chunk's notices that are still this job's to send, in one transaction. A notice found
   * `sending` was started before (a crash, or an error, after sending may have begun): the same
   * content again under the same Message-ID. A `pending` one is sent only if its customer has no
   * open steps left; its content is read and fixed now. One whose run is paused, or whose customer
   * still has open steps, is given up by this job (released again when due); no address: failed
   * (its run may be done with it: returned in `failedRuns`).
   */
  private async claim(jobId: string, outboxIds: string[]): Promise<{ claimed: ClaimedNotice[]; failedRuns: Set<string> }> {
    return this.dataSource.transaction(async (manager) => {
      const rows = await noticeClaim.run(manager, [outboxIds]);
      const claimed: ClaimedNotice[] = [];
      const fresh: { row: (typeof rows)[number]; to: string }[] = [];
      const givenUp: string[] = [];
      const noAddress: { id: string; runId: string }[] = [];
      const resent: string[] = [];
      for (const row of rows) {
        if ((row.status !== 'pending' && row.status !== 'sending') || row.job_id !== jobId) continue;
        if (row.run_status === 'paused') givenUp.push(row.id);
        else if (row.status === 'sending') {
          resent.push(row.id);
          claimed.push({ id: row.id, runId: row.run_id, to: row.to_address, messageId: messageIdOf(row.message_id), content: row.content });
        } else if (row.open_steps) givenUp.push(row.id);
        else {
          const to = (row.email as string | null)?.trim();
          if (to) fresh.push({ row, to });
          else noAddress.push({ id: row.id, runId: row.run_id });
        }
      }
      const contents = await buildNoticeContents(
        manager,
        fresh.map(({ row }) => ({
          incidentId: row.incident_id,
          customerId: row.customer_id,
          template: row.template as NoticeTemplate,
          incidentNumber: row.incident_number,
          customerName: row.name,
          runActions: row.actions,
        })),
      );
      fresh.forEach(({ row, to }, i) =>
        claimed.push({ id: row.id, runId: row.run_id, to, messageId: messageIdOf(row.message_id), content: contents[i]! }),
      );
      await this.startSending(
        manager,
        fresh.map(({ row }) => row.id),
        contents,
        fresh.map(({ to }) => to),
        resent,
      );
      if (givenUp.length) {
        await manager.query(`UPDATE notification_outbox SET job_id = NULL, updated_at = now() WHERE id = ANY($1::uuid[])`, [givenUp]);
      }
      if (noAddress.length) {
        await manager.query(
          `UPDATE notification_outbox SET status = 'failed', error_message = 'The customer has no e-mail address', updated_at = now()
            WHERE id = ANY($1::uuid[])`,
          [noAddress.map((notice) => notice.id)],
        );
      }
      return { claimed, failedRuns: new Set(noAddress.map((notice) => notice.runId)) };
    });
  }

  /** `pending` → `sending` with the content fixed; a resend counts one more attempt. */
  private async startSending(manager: EntityManager, ids: string[], contents: NoticeContent[], to: string[], resent: string[]) {
    if (ids.length) {
      await manager.query(
        `UPDATE notification_outbox n
            SET status = 'sending', attempts = n.attempts + 1, content = v.content, subject = v.subject, to_address = v.to_address,
                updated_at = now()
           FROM unnest($1::uuid[], $2::jsonb[], $3::text[], $4::text[]) AS v(id, content, subject, to_address)
          WHERE n.id = v.id`,
        [ids, contents.map((content) => JSON.stringify(content)), contents.map((content) => renderNotice(content).subject), to],
      );
    }
    if (resent.length) {
      await manager.query(`UPDATE notification_outbox SET attempts = attempts + 1, updated_at = now() WHERE id = ANY($1::uuid[])`, [
        resent,
      ]);
    }
  }

  /** Sends one claimed notice at its slot; a relay that says "too many" holds every process back and is asked again. */
  private async deliver(notice: ClaimedNotice, pacer: RatePacer, schedule: SlotSchedule, slot: number): Promise<Delivery> {
    const rendered = renderNotice(notice.content);
    let turn = schedule.wait(slot);
    for (let refusals = 0; ; refusals++) {
      try {
        await turn;
        await this.mailer.send({
          to: notice.to,
          subject: rendered.subject,
          text: rendered.text,
          html: rendered.html,
          messageId: notice.messageId,
          headers: { 'X-Recovery-Desk-Notice': notice.id },
        });
        return { sent: true };
      } catch (error) {
        if (error instanceof ProviderFailure && error.kind === 'rate_limited' && refusals < maxRefusalsInARow) {
          turn = pacer.holdOff(error.retryAfterMs ?? defaultRateLimitPauseMs).then(() => pacer.acquire());
          continue;
        }
        return { failure: describe(error), permanent: error instanceof ProviderFailure && error.kind === 'permanent' };
      }
    }
  }

  /** Records what was sent and what failed for good, then finishes their runs (and `alsoRuns`) when nothing is left. */
  private async finish(sent: ClaimedNotice[], failed: { notice: ClaimedNotice; message: string }[], alsoRuns: Set<string>): Promise<void> {
    if (sent.length) {
      await this.dataSource.query(
        `UPDATE notification_outbox SET status = 'sent', error_message = NULL, sent_at = now(), updated_at = now()
          WHERE id = ANY($1::uuid[]) AND status = 'sending'`,
        [sent.map((notice) => notice.id)],
      );
    }
    if (failed.length) {
      await this.dataSource.query(
        `UPDATE notification_outbox n SET status = 'failed', error_message = v.message, sent_at = NULL, updated_at = now()
           FROM unnest($1::uuid[], $2::text[]) AS v(id, message) WHERE n.id = v.id AND n.status = 'sending'`,
        [failed.map(({ notice }) => notice.id), failed.map(({ message }) => message.slice(0, 2000))],
      );
    }
    const runs = new Set([...alsoRuns, ...[...sent, ...failed.map(({ notice }) => notice)].map((notice) => notice.runId)]);
    for (const runId of runs) await this.progress.notificationFinished(runId);
  }

  /**
   * In the transaction that learned a refund failed: if the customer was
   * already told (or is being told) it was refunded, queue the one follow-up
   * notice; a notice not yet sent will say so itself, as its content is read
   * when sending starts. Returns the follow-up's id, to release after commit.
   */
  static async followUpRefundFailure(manager: EntityManager, refundId: string, orderId: string, smtpFrom: string): Promise<string | null> {
    const notices = await manager.query(
      `SELECT n.id, n.incident_id, n.customer_id, n.run_id, n.status, n.content
         FROM notification_outbox n JOIN orders o ON o.customer_id = n.customer_id
         JOIN incident_order io ON io.incident_id = n.incident_id AND io.order_id = o.id
        WHERE o.id = $1 AND n.template <> $2
        FOR UPDATE OF n`,
      [orderId, refundFailedTemplate],
    );
    for (const notice of notices) {
      if (notice.status !== 'sending' && notice.status !== 'sent') continue;
      if (!notice.content || !reportedRefundIds(notice.content as NoticeContent).includes(refundId)) continue;
      const [created] = await manager.query(
        `INSERT INTO notification_outbox (incident_id, customer_id, template, run_id, message_id)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (incident_id, customer_id, template) DO NOTHING RETURNING id`,
        [notice.incident_id, notice.customer_id, refundFailedTemplate, notice.run_id, newMessageId(smtpFrom, randomUUID())],
      );
      if (created) return created.id;
      // Already written: released again below in case it is still pending.
      const [existing] = await manager.query(
        `SELECT id FROM notification_outbox WHERE incident_id = $1 AND customer_id = $2 AND template = $3 AND status = 'pending'`,
        [notice.incident_id, notice.customer_id, refundFailedTemplate],
      );
      return existing?.id ?? null;
    }
    return null;
  }
}

/** The row's Message-ID as the header wants it: `<local@domain>`. */
export function messageIdOf(stored: string): string {
  const bare = stored.replace(/^<|>$/g, '');
  return `<${bare.includes('@') ? bare : `${bare}@recovery-desk`}>`;
}
