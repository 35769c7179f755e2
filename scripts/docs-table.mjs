// `npm run docs:table -- config|matrix`: prints a README table from the code
// that owns it (the configuration variables, the permission matrix), so the
// README is regenerated rather than retyped. Tests check the README matches.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureNodeModules, root } from './lib/bootstrap.mjs';
import { buildBackend } from './lib/build.mjs';

const load = (path) => import(pathToFileURL(join(root, 'backend/dist', path)).href);

const tables = {
  async config() {
    const { variables } = await load('config/config.schema.js');
    const rows = variables.map((v) => {
      const fallback = !('default' in v) ? 'required' : v.default === '' ? '(empty)' : `\`${v.default}\``;
      return `| \`${v.name}\` | ${fallback} | ${v.description} |`;
    });
    return ['| variable | default | meaning |', '| --- | --- | --- |', ...rows];
  },
  async matrix() {
    const { permissionMatrix } = await load('auth/permission-matrix.js');
    const { roles } = await load('auth/roles.js');
    const rows = Object.entries(permissionMatrix).map(
      ([action, p]) =>
        `| \`${action}\` | ${roles.map((role) => (p.roles.includes(role) ? '✓' : '')).join(' | ')} | ${p.reason} | ${p.description} |`,
    );
    return [
      `| action | ${roles.join(' | ')} | reason | what it allows |`,
      `| --- |${roles.map(() => ' :-: |').join('')} --- | --- |`,
      ...rows,
    ];
  },
};

const name = process.argv[2];
if (!tables[name]) {
  console.error(`Usage: npm run docs:table -- ${Object.keys(tables).join('|')}`);
  process.exit(2);
}
ensureNodeModules();
buildBackend();
console.log((await tables[name]()).join('\n'));
