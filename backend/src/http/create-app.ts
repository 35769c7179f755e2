import { NestFactory, Reflector } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import express from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import { AppModule } from '../app.module.js';
import type { AppConfig } from '../config/app-config.js';
import { JsonLogger } from '../observability/logger.js';
import { MetricsService } from '../observability/metrics.service.js';
import { httpObservability } from '../observability/http-observability.middleware.js';
import { resolveAdminUiDir, serveAdminUi } from './admin-ui-static.js';
import { answerClientErrorsInErrorShape } from './client-errors.js';
import { assertStorableText } from './body-encoding.js';
import { HttpExceptionFilter } from './http-exception.filter.js';
import { JsonBodiesOnly } from './json-bodies-only.js';
import { checkJsonBody } from './storable-json.js';
import { mountOpenApi } from './openapi.js';
import { mountQueueBoard } from '../queue-board/mount-queue-board.js';

/**
 * Builds the HTTP application exactly as production runs it; tests call this
 * too, so what they exercise is what ships.
 */
export async function createApp(config: AppConfig, logger: Logger): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot({ config, logger, role: 'api' }), {
    logger: new JsonLogger(logger.child({ component: 'nest' })),
    bodyParser: false,
    abortOnError: false,
  });
  const server = app.getHttpAdapter().getInstance() as express.Express;
  server.disable('x-powered-by');
  answerClientErrorsInErrorShape(app.getHttpServer());
  // Behind a load balancer, audit rows and rate limits must see the client's address.
  server.set('trust proxy', config.trustProxy);

  app.use(httpObservability(logger.child({ component: 'http' }), app.get(MetricsService)));
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          // MUI (emotion) and Swagger UI inject style elements at run time.
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:'],
          connectSrc: ["'self'"],
          upgradeInsecureRequests: null,
        },
      },
    }),
  );
  app.use(
    express.json({
      limit: config.bodyLimit,
      verify: (req, _res, buffer) => {
        assertStorableText(buffer, 'The JSON body');
        checkJsonBody(buffer);
        // Signed webhooks are verified over the exact bytes received.
        if (req.url?.startsWith('/api/webhooks/')) (req as typeof req & { rawBody?: Buffer }).rawBody = buffer;
      },
    }),
  );
  app.use(
    '/api/orders/import',
    express.text({
      type: ['text/csv', 'text/plain', 'application/csv', 'application/vnd.ms-excel'],
      limit: config.csvImportMaxBytes,
      verify: (_req, _res, buffer) => assertStorableText(buffer, 'The CSV file'),
    }),
  );
  app.useGlobalFilters(new HttpExceptionFilter(logger.child({ component: 'http' })));
  app.useGlobalInterceptors(new JsonBodiesOnly(app.get(Reflector)));
  mountOpenApi(app);
  mountQueueBoard(app, server, logger.child({ component: 'http' }));

  const uiDir = resolveAdminUiDir(config.adminUiDir);
  if (uiDir && !serveAdminUi(server, uiDir)) {
    logger.warn({ uiDir }, 'admin UI not built; serving the API only (npm run build -w admin-ui)');
  }
  app.enableShutdownHooks();
  await app.init();

  return app;
}
