import { Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { MailSinkController } from './mail-sink.controller.js';
import { MAILER, type Mailer } from './mailer.js';
import { SmtpMailer } from './smtp-mailer.js';

/** E-mail over SMTP_URL with nodemailer; the mail settings the admin UI reads. */
@Module({
  controllers: [MailSinkController],
  providers: [{ provide: MAILER, inject: [AppConfig], useFactory: (config: AppConfig) => new SmtpMailer(config.smtpUrl, config.smtpFrom) }],
  exports: [MAILER],
})
export class NotificationsModule implements OnApplicationShutdown {
  constructor(@Inject(MAILER) private readonly mailer: Mailer) {}

  onApplicationShutdown() {
    this.mailer.close();
  }
}
