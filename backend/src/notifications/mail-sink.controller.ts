import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Permission } from '../auth/access.decorators.js';
import { AppConfig } from '../config/app-config.js';

/** What the admin UI needs to know about mail: where a mail sink shows what was sent (demo and test stacks only). */
export interface MailSettings {
  /**
   * The sink's HTTP API (SMTP_SINK_URL), or null with a real relay. A sent notice is found there by its
   * Message-ID (`GET /messages?messageId=`) and shown rendered at `GET /messages/:id/html`; the UI links
   * to `GET /api/runs/:id/notices/:noticeId/message`, which looks it up and redirects there.
   */
  sinkUrl: string | null;
}

@ApiTags('notifications')
@Controller('api/notifications')
export class MailSinkController {
  constructor(private readonly config: AppConfig) {}

  /** Read by the run page's outbox, so it is allowed to whoever may see a run's notices. */
  @Get('settings')
  @Permission('runs.notices')
  settings(): MailSettings {
    return { sinkUrl: this.config.smtpSinkUrl || null };
  }
}
