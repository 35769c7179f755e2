// `npm run migrate [-- status]`: builds the backend if needed and applies pending migrations to DATABASE_URL.
import { join } from 'node:path';
import { ensureNodeModules, root } from './lib/bootstrap.mjs';
import { buildBackend } from './lib/build.mjs';
import { run } from './lib/run.mjs';

ensureNodeModules();
buildBackend();
try {
  run(process.execPath, [join(root, 'backend/dist/database/migrate.js'), ...process.argv.slice(2)], { cwd: root });
} catch {
  process.exit(1);
}
