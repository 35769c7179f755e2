import { BadGatewayException, BadRequestException, ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { AppConfig } from '../config/app-config.js';
import { isUuid } from '../http/is-uuid.js';
import type { IncidentActor } from '../incidents/incident-store.js';
import { findSinkMessage, MailSinkUnavailable } from '../notifications/mail-sink.js';
import { LOGGER } from '../observability/observability.module.js';
import { NoticeSender } from './engine/notice-sender.js';
import { recordControl, reopenForRetry } from './run-control-record.js';
import { controlProblem, runReference } from './run-lifecycle.js';
import { lockRun, runNotFound, runTransaction } from './run-store.js';
import { RunsQueryService } from './runs-query.service.js';
import type { RetryNoticesInput } from './runs.schemas.js';

/**
 * Retrying a run's failed customer notices (a relay that refused them, a
 * customer who had no address and now has one). In one transaction the
 * outbox rows go from `failed` back to `pending` — keeping their Message-ID,
 * so a notice is never two different e-mails — with the audit row and the
 * timeline event; after the commit the engine's NoticeSender gets them.
 * Notices are retried in the states steps are (running, paused, completed:
 * run-lifecycle's `retry`); a completed run runs again until they are sent.
 */
@Injectable()
export class RunNoticesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly query: RunsQueryService,
    private readonly sender: NoticeSender,
    private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async retryFailed(id: string, input: RetryNoticesInput, actor: IncidentActor) {
    const retried = await runTransaction(this.dataSource, async (manager) => {
      const run = await lockRun(manager, id);
      const reference = runReference(run.number);
      const problem = controlProblem('retry', reference, run.status);
      // The states are the lifecycle table's retry; only the noun differs.
      if (problem) throw new ConflictException(`${problem.replace('failed steps', 'failed notices')}; nothing was changed`);
      let ids: string[];
      if (input.noticeIds) {
        const found: { id: string; status: string }[] = await manager.query(
          `SELECT id, status FROM notification_outbox WHERE run_id = $1 AND id = ANY($2::uuid[]) ORDER BY id`,
          [id, input.noticeIds],
        );
        const missing = input.noticeIds.filter((noticeId) => !found.some((notice) => notice.id === noticeId));
        if (missing.length) {
          throw new BadRequestException({
            message: `These notices are not notices of ${reference}: ${missing.slice(0, 20).join(', ')}`,
            fields: [{ field: 'noticeIds', message: `names notices that are not in ${reference} (${missing.slice(0, 20).join(', ')})` }],
          });
        }
        const notFailed = found.filter((notice) => notice.status !== 'failed');
        if (notFailed.length) {
          const listed = notFailed.slice(0, 20).map((notice) => `${notice.id} is ${notice.status}`);
          throw new ConflictException(`Only failed notices can be retried: ${listed.join(', ')}; nothing was changed`);
        }
        ids = found.map((notice) => notice.id);
      } else {
        ids = (await manager.query(`SELECT id FROM notification_outbox WHERE run_id = $1 AND status = 'failed' ORDER BY id`, [id])).map(
          (notice: { id: string }) => notice.id,
        );
        if (!ids.length) throw new ConflictException(`${reference} has no failed notices to retry; nothing was changed`);
      }
      // Back to pending: the sender claims it again, reads its content afresh, and sends it under the same Message-ID.
      await manager.query(
        `UPDATE notification_outbox SET status = 'pending', job_id = NULL, updated_at = now() WHERE run_id = $1 AND id = ANY($2::uuid[]) AND status = 'failed'`,
        [id, ids],
      );
      const suffix = await reopenForRetry(manager, run, 'they are sent when the run is resumed');
      await recordControl(
        manager,
        this.audit,
        run,
        actor,
        'retry-notices',
        input.reason,
        `Retrying ${ids.length} failed notice${ids.length === 1 ? '' : 's'} of ${reference}${suffix}`,
        { notices: ids.length, noticeIds: ids.slice(0, 100) },
      );
      return { ids, release: run.status !== 'paused' };
    });
    if (retried.release) {
      try {
        await this.sender.enqueue(retried.ids);
      } catch (error) {
        // PostgreSQL holds them as pending: the engine's sweep releases every due notice within seconds.
        this.logger.warn({ runId: id, err: error }, 'retried notices not enqueued; the engine sweep will release them');
      }
    }
    return this.query.get(id);
  }

  /**
   * Where the mail sink shows a sent notice as it received it (demo and test stacks, SMTP_SINK_URL):
   * looked up by the notice's Message-ID, so the UI links here and is redirected.
   */
  async sinkMessageUrl(runId: string, noticeId: string): Promise<string> {
    if (!isUuid(runId)) throw runNotFound(runId);
    const [notice] = isUuid(noticeId)
      ? await this.dataSource.query(`SELECT status, message_id AS "messageId" FROM notification_outbox WHERE id = $1 AND run_id = $2`, [
          noticeId,
          runId,
        ])
      : [];
    if (!notice) throw new NotFoundException(`No notice with id "${noticeId}" in remediation run "${runId}"`);
    if (!this.config.smtpSinkUrl) {
      throw new NotFoundException('No mail sink is configured (SMTP_SINK_URL): a real relay keeps no copy of what it sent');
    }
    if (notice.status !== 'sent') {
      throw new ConflictException(`The notice is ${notice.status}; only a sent notice has a copy in the mail sink`);
    }
    try {
      const url = await findSinkMessage(this.config.smtpSinkUrl, notice.messageId);
      if (!url) {
        throw new NotFoundException(
          `The mail sink has no message with Message-ID ${notice.messageId} (it keeps the newest messages only, or was emptied)`,
        );
      }
      return url;
    } catch (error) {
      if (error instanceof MailSinkUnavailable) throw new BadGatewayException(error.message);
      throw error;
    }
  }
}
