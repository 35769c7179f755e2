import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the built admin UI is, per ADMIN_UI_DIR (`auto`, `none` or a folder). */
export function resolveAdminUiDir(setting: string): string | undefined {
  if (setting === 'none') return undefined;
  if (setting !== 'auto') return resolve(setting);
  // backend/{src,dist}/http → repository root → admin-ui/dist
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
  return join(root, 'admin-ui', 'dist');
}

const isApiPath = (path: string) => path === '/api' || path.startsWith('/api/') || path === '/metrics';

/**
 * Serves the single-page app on the API's own origin: hashed assets cached for
 * a year, and every other GET that is not an API path answered with
 * index.html so deep links work after a reload.
 */
export function serveAdminUi(server: Express, dir: string): boolean {
  const index = join(dir, 'index.html');
  if (!existsSync(index)) return false;
  server.use('/assets', express.static(join(dir, 'assets'), { immutable: true, maxAge: '1y', index: false, fallthrough: false }));
  // API paths skip the file lookup: serve-static would stat the disk on every
  // API request before passing it on (measurable on the storefront's hot path).
  const staticFiles = express.static(dir, { index: false, maxAge: 0 });
  server.use((req: Request, res: Response, next: NextFunction) => (isApiPath(req.path) ? next() : staticFiles(req, res, next)));
  server.use((req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' || isApiPath(req.path) || !req.accepts('html')) return next();
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
  return true;
}
