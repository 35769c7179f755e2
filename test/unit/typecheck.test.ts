import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testEnv } from '../support/test-env.js';

// SWC and Vite strip types without checking them; this is where types are checked.
describe('type check', () => {
  it.each(['backend', 'test', 'admin-ui', 'stand-ins', 'bench'])(
    '%s compiles without type errors',
    (project) => {
      const tsc = join(testEnv.repoRoot, 'node_modules/typescript/bin/tsc');
      const result = spawnSync(process.execPath, [tsc, '-p', project, '--noEmit'], { cwd: testEnv.repoRoot, encoding: 'utf8' });
      expect(result.stdout + result.stderr).toBe('');
      expect(result.status).toBe(0);
    },
    120_000,
  );
});

describe('formatting', () => {
  it('matches prettier (npm run format fixes it)', () => {
    const result = spawnSync('npm', ['run', '--silent', 'lint'], { cwd: testEnv.repoRoot, encoding: 'utf8' });
    expect(result.stdout + result.stderr).not.toMatch(/\[warn\]/);
    expect(result.status).toBe(0);
  }, 60_000);
});
