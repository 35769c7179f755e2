import { Inject, Injectable } from '@nestjs/common';
import { Worker } from 'bullmq';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { DataSource, type EntityManager } from 'typeorm';
import { defaultJobOptions, type JobOutcome } from '../../jobs/job-catalogue.js';
import { PreparedStatement } from '../../database/prepared-statement.js';
import { JobQueueService } from '../../jobs/job-queue.service.js';
import { renderNotice, reportedRefundIds, type NoticeContent, type NoticeTemplate } from '../../notifications/customer-notice.js';
import { MAILER, newMessageId, type Mailer } from '../../notifications/mailer.js';
import { LOGGER } from '../../observability/observability.module.js';
import { ProviderFailure } from '../../payments/provider-failure.js';
import { RunProgress } from '../run-progress.js';
import { buildNoticeContent } from './notice-content.js';
import { describe } from './describe-failure.js';
import { openStepStatusList } from '../run-lifecycle.js';

/** Sent when a refund that a sent notice reported as issued fails afterwards (one per customer and incident). */
export const refundFailedTemplate = 'refund_failed';

/**
 * Whether the notice's customer still has open steps in its run. Driven from the customer's
 * orders (a few) into the open-steps index (run, order): planned the other way round, it read
 * every open step of the run for each notice — seconds per release over a 10k-order run.
 */
const openSteps = `SELECT 1 FROM orders o
                    CROSS JOIN LATERAL (SELECT 1 FROM remediation_step s
                                         WHERE s.run_id = n.run_id AND s.order_id = o.id AND s.status IN ${openStepStatusList}
                                         LIMIT 1) open_step
                    WHERE o.customer_id = n.customer_id`;

/**
 * `due`: the notice of step $1's customer in the step's run, when none of their steps there is open
 * any more (a CTE list, also used with the run's open-work probe after each step). Their notice first
 * (materialized: one row per template at most), then the open-steps check on it alone.
 *
 * The notice is looked up by (run, customer) behind an OFFSET 0 fence, which the planner can neither
 * flatten nor push the status filter into: planned freely, a planner that still took the just-filled
 * outbox for empty (its statistics lag a run's planning) scanned every pending notice of the run for
 * every step — 3,500 buffers per step, half of them in a 2k-order bench run — instead of about 20.
 */
export const dueNoticeOfStep = `
  mine AS MATERIALIZED (
    SELECT n.id, n.run_id, n.customer_id FROM remediation_step st JOIN orders so ON so.id = st.order_id
      JOIN remediation_run r ON r.id = st.run_id
      CROSS JOIN LATERAL (SELECT n.id, n.run_id, n.customer_id, n.status FROM notification_outbox n
                           WHERE n.run_id = st.run_id AND n.customer_id = so.customer_id OFFSET 0) n
     WHERE st.id = $1 AND n.status IN ('pending', 'sending') AND r.status <> 'paused'),
  due AS (SELECT n.id FROM mine n WHERE NOT EXISTS (${openSteps}))`;

/** A notice with what sending it needs, locked for the claim. */
const noticeClaim = new PreparedStatement(`
  SELECT n.id, n.run_id, n.incident_id, n.customer_id, n.template, n.status, n.message_id, n.content, n.to_address,
         r.status AS run_status, r.actions, i.number AS incident_number, c.email, c.name,
         EXISTS (${openSteps}) AS open_steps
    FROM notification_outbox n
    JOIN remediation_run r ON r.id = n.run_id
    JOIN incident i ON i.id = n.incident_id
    JOIN customer c ON c.id = n.customer_id
   WHERE n.id = $1
   FOR UPDATE OF n`);

interface ClaimedNotice {
  id: string;
  runId: string;
  to: string;
  messageId: string;
  content: NoticeContent;
}

/**
 * The outbox sender. A customer's notice is released (given a job, id = the
 * outbox row's id) once all of that customer's steps in the run are final;
 * sending is claim → SMTP → record, like a step: `pending` → `sending` (the
 * content fixed and stored) → `sent`. The row is unique per (incident,
 * customer, template), so there is never a second notice of a kind; a crash
 * after the relay accepted the message resends the same content under the
 * same Message-ID (SMTP has no idempotency key; the Message-ID is what lets
 * mail clients show it once).
 */
@Injectable()
export class NoticeSender {
  private readonly logger: Logger;

  constructor(
    private readonly dataSource: DataSource,
    private readonly jobQueues: JobQueueService,
    private readonly progress: RunProgress,
    @Inject(MAILER) private readonly mailer: Mailer,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ component: 'notice-sender' });
  }

  /** Every notice of the run that is due (a run without steps, resume, the sweep). */
  async releaseDue(runId: string): Promise<number> {
    const due: { id: string }[] = await this.dataSource.query(
      `SELECT n.id FROM notification_outbox n JOIN remediation_run r ON r.id = n.run_id
        WHERE n.run_id = $1 AND n.status IN ('pending', 'sending') AND r.status <> 'paused' AND NOT EXISTS (${openSteps})`,
      [runId],
    );
    await this.enqueue(due.map((row) => row.id));
    return due.length;
  }

  async enqueue(outboxIds: string[]): Promise<void> {
    const queue = this.jobQueues.queue('email');
    for (let i = 0; i < outboxIds.length; i += 1000) {
      await queue.addBulk(
        outboxIds.slice(i, i + 1000).map((outboxId) => ({ name: 'remediation.notice', data: { outboxId }, opts: { jobId: outboxId } })),
      );
    }
  }

  /** The `remediation.notice` job. */
  async send(outboxId: string, attempt: number): Promise<JobOutcome> {
    const claim = await this.claim(outboxId);
    if ('dropped' in claim) return { status: 'skipped', reason: claim.dropped };
    const notice = claim.notice;
    const rendered = renderNotice(notice.content);
    try {
      await this.mailer.send({
        to: notice.to,
        subject: rendered.subject,
        text: rendered.text,
        html: rendered.html,
        messageId: notice.messageId,
        headers: { 'X-Recovery-Desk-Notice': notice.id },
      });
    } catch (error) {
      if (error instanceof ProviderFailure && error.kind === 'rate_limited') {
        await this.dataSource.query(
          `UPDATE notification_outbox SET attempts = greatest(attempts - 1, 0), updated_at = now() WHERE id = $1`,
          [outboxId],
        );
        await this.jobQueues.queue('email').rateLimit(error.retryAfterMs ?? 1000);
        throw Worker.RateLimitError();
      }
      const failure = describe(error);
      const lastAttempt = attempt >= (defaultJobOptions.email.attempts ?? 1);
      if ((error instanceof ProviderFailure && error.kind === 'permanent') || lastAttempt) {
        await this.finish(notice, 'failed', lastAttempt ? `Gave up after ${attempt} attempts: ${failure.message}` : failure.message);
        if (lastAttempt) throw error;
        return { status: 'success', detail: { outboxId, status: 'failed', code: failure.code } };
      }
      await this.dataSource.query(
        `UPDATE notification_outbox SET error_message = $2, updated_at = now() WHERE id = $1 AND status = 'sending'`,
        [outboxId, failure.message.slice(0, 2000)],
      );
      this.logger.warn({ outboxId, attempt, code: failure.code, err: failure.message }, 'notice attempt failed; retrying');
      throw error;
    }
    await this.finish(notice, 'sent', null);
    return { status: 'success', detail: { outboxId, status: 'sent' } };
  }

  private async claim(outboxId: string): Promise<{ notice: ClaimedNotice } | { dropped: string }> {
    return this.dataSource.transaction(async (manager) => {
      const [row] = await noticeClaim.run(manager, [outboxId]);
      if (!row) return { dropped: 'notice not found' };
      if (row.status !== 'pending' && row.status !== 'sending') return { dropped: `notice already ${row.status}` };
      if (row.run_status === 'paused') return { dropped: 'run paused' };
      if (row.status === 'sending') {
        // A crash (or an error) after sending may have started: send the same content under the same Message-ID.
        await manager.query(`UPDATE notification_outbox SET attempts = attempts + 1, updated_at = now() WHERE id = $1`, [outboxId]);
        return {
          notice: { id: row.id, runId: row.run_id, to: row.to_address, messageId: messageIdOf(row.message_id), content: row.content },
        };
      }
      if (row.open_steps) return { dropped: 'the customer still has open steps in the run' };
      const to = (row.email as string | null)?.trim();
      if (!to) {
        await manager.query(
          `UPDATE notification_outbox SET status = 'failed', error_message = 'The customer has no e-mail address', updated_at = now() WHERE id = $1`,
          [outboxId],
        );
        return { dropped: 'no e-mail address' };
      }
      const content = await buildNoticeContent(manager, {
        incidentId: row.incident_id,
        customerId: row.customer_id,
        template: row.template as NoticeTemplate,
        incidentNumber: row.incident_number,
        customerName: row.name,
        runActions: row.actions,
      });
      await manager.query(
        `UPDATE notification_outbox SET status = 'sending', attempts = attempts + 1, content = $2, subject = $3, to_address = $4, updated_at = now()
          WHERE id = $1`,
        [outboxId, JSON.stringify(content), renderNotice(content).subject, to],
      );
      return { notice: { id: row.id, runId: row.run_id, to, messageId: messageIdOf(row.message_id), content } };
    });
  }

  private async finish(notice: ClaimedNotice, status: 'sent' | 'failed', errorMessage: string | null): Promise<void> {
    await this.dataSource.query(
      `UPDATE notification_outbox SET status = $2, error_message = $3, sent_at = CASE WHEN $2 = 'sent' THEN now() END, updated_at = now()
        WHERE id = $1 AND status = 'sending'`,
      [notice.id, status, errorMessage?.slice(0, 2000) ?? null],
    );
    await this.progress.notificationFinished(notice.runId);
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
