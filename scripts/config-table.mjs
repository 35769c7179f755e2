// `npm run config:table`: prints the README's configuration table from the
// one list of variables (backend/src/config/config.schema.ts).
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureNodeModules, root } from './lib/bootstrap.mjs';
import { buildBackend } from './lib/build.mjs';

ensureNodeModules();
buildBackend();
const { variables } = await import(pathToFileURL(join(root, 'backend/dist/config/config.schema.js')).href);
console.log('| variable | default | meaning |\n| --- | --- | --- |');
for (const v of variables) {
  const fallback = !('default' in v) ? 'required' : v.default === '' ? '(empty)' : `\`${v.default}\``;
  console.log(`| \`${v.name}\` | ${fallback} | ${v.description} |`);
}
