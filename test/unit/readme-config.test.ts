import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { permissionMatrix } from '../../backend/src/auth/permission-matrix.js';
import { roles } from '../../backend/src/auth/roles.js';
import { variables } from '../../backend/src/config/config.schema.js';
import { testEnv } from '../support/test-env.js';

describe('README configuration table', () => {
  const readme = readFileSync(join(testEnv.repoRoot, 'README.md'), 'utf8');
  const compose = readFileSync(join(testEnv.repoRoot, 'docker-compose.yml'), 'utf8');

  it.each(variables.map((v) => [v.name, 'default' in v ? v.default : undefined] as const))(
    'documents %s with its default',
    (name, fallback) => {
      const row = readme.split('\n').find((line) => line.startsWith(`| \`${name}\``));
      expect(row, `README has no table row for ${name}`).toBeDefined();
      expect(row).toContain(fallback === undefined ? 'required' : fallback === '' ? '(empty)' : `\`${fallback}\``);
    },
  );

  it('gives the backend only documented variables in docker-compose.yml', () => {
    const known = new Set<string>(variables.map((v) => v.name));
    // The backend's variables are the shared `x-backend-env` block.
    const block = compose.slice(compose.indexOf('x-backend-env:'), compose.indexOf('\nservices:'));
    const backendVars = [...block.matchAll(/^\s+([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1]!);
    expect(backendVars.length).toBeGreaterThan(5);
    expect(backendVars.filter((name) => !known.has(name))).toEqual([]);
  });
});

describe('README permission matrix', () => {
  const readme = readFileSync(join(testEnv.repoRoot, 'README.md'), 'utf8');
  it.each(Object.entries(permissionMatrix))('lists %s with its roles', (action, permission) => {
    const row = readme.split('\n').find((line) => line.startsWith(`| \`${action}\` |`));
    expect(row, `README has no matrix row for ${action} (npm run docs:table -- matrix)`).toBeDefined();
    const cells = row!
      .split('|')
      .slice(2, 2 + roles.length)
      .map((cell) => cell.trim() === '✓');
    expect(cells).toEqual(roles.map((role) => (permission.roles as readonly string[]).includes(role)));
  });
});
