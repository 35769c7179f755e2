import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { MethodNotAllowedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Express, NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { Permission } from '../auth/access.decorators.js';
import { AccessGuard } from '../auth/access.guard.js';
import { MachineCredentials } from '../auth/machine-credentials.js';
import { SessionsService } from '../auth/sessions.service.js';
import { HttpExceptionFilter } from '../http/http-exception.filter.js';
import { queues, type QueueKey } from '../jobs/job-catalogue.js';
import { JobQueueService } from '../jobs/job-queue.service.js';
import { queueBoardPath } from './queue-board-path.js';

/** Carries the board's access rule, so the one access guard judges the board exactly as it judges a route. */
class QueueBoardAccess {
  @Permission('queue-board.show')
  board() {}
}

type RenderEngine = (path: string, options: object, callback: (error: Error | null, html?: string) => void) => void;

/**
 * Bull Board on the API's own Express instance at /admin/queues, behind the
 * same session login and permission matrix as the API (`queue-board.show`):
 * no session → 401, a role without it → 403, both in the API's error shape.
 *
 * Read-only, on purpose: retrying, removing or cleaning jobs by hand would
 * bypass the audit log and the run controls (retry a run's failed steps from
 * its page instead, with a reason); the truth is in PostgreSQL anyway.
 *
 * Mounted before the admin UI's catch-all, which would otherwise answer the
 * board's pages with the single-page app.
 */
export function mountQueueBoard(app: NestExpressApplication, server: Express, logger: Logger) {
  const jobQueues = app.get(JobQueueService);
  const adapter = new ExpressAdapter().setBasePath(queueBoardPath);
  createBullBoard({
    queues: (Object.keys(queues) as QueueKey[]).map(
      (key) =>
        new BullMQAdapter(jobQueues.queue(key), { readOnlyMode: true, displayName: key, description: `BullMQ queue ${queues[key]}` }),
    ),
    serverAdapter: adapter,
    options: { uiConfig: { boardTitle: 'Recovery Desk queues' } },
  });
  const board = adapter.getRouter() as Express;
  renderWithoutWebFonts(board);

  const guard = new AccessGuard(app.get(Reflector), app.get(SessionsService), app.get(MachineCredentials));
  const errors = new HttpExceptionFilter(logger);
  const gate = async (req: Request, res: Response, next: NextFunction) => {
    const context = new ExecutionContextHost([req, res, next], QueueBoardAccess, QueueBoardAccess.prototype.board);
    context.setType('http');
    try {
      await guard.canActivate(context);
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        throw new MethodNotAllowedException('The queue dashboard is read-only; act on runs from their pages (with a reason)');
      }
      next();
    } catch (error) {
      errors.catch(error, context);
    }
  };
  server.use(queueBoardPath, gate, board);
}

/**
 * The board's page links Google Fonts: blocked by our CSP (and unreachable
 * offline), it would only print a console error. The page falls back to the
 * system font; everything else it loads is served from the package.
 */
function renderWithoutWebFonts(board: Express) {
  const engines = (board as unknown as { engines: Record<string, RenderEngine> }).engines;
  const render = engines['.ejs'];
  if (!render) throw new Error('Bull Board no longer renders its page with EJS; review renderWithoutWebFonts');
  board.engine('ejs', (path, options, callback) =>
    render(path, options, (error, html) => callback(error, html?.replace(/<link[^>]+fonts\.(googleapis|gstatic)\.com[^>]*>/g, ''))),
  );
}
