// `npm test`: installs what is missing, brings up the separate test stack,
// builds, runs every suite (unit, API, workers, browser) and ends with one line:
// `N passed, N failed` (`, N skipped` when any). Extra arguments go to vitest,
// e.g. `npm test -- --project api` or `npm test -- test/api/health.test.ts`.
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ensureNodeModules, ensureSystemPackages, nodeVersionOk, root } from './lib/bootstrap.mjs';
import { buildAdminUi, buildBackend, buildStandIns } from './lib/build.mjs';
import { recreateDatabase } from './lib/database.mjs';
import { run, runAsync, say, warn } from './lib/run.mjs';
import { stackDown, stackUp } from './lib/stack.mjs';

if (!nodeVersionOk()) {
  console.error(`Node ${process.versions.node} is too old: Recovery Desk needs Node 20.19 or newer.`);
  process.exit(1);
}

async function main() {
  ensureNodeModules();
  ensureSystemPackages(['postgresql', 'redis', 'chromium']);
  // The test stack must not inherit the developer's DATABASE_URL / REDIS_URL.
  const stackInput = { ...process.env, DATABASE_URL: process.env.TEST_DATABASE_URL, REDIS_URL: process.env.TEST_REDIS_URL };
  buildStandIns();
  const { started, env } = await stackUp('test', stackInput);
  let totals = { passed: 0, failed: 1, skipped: 0 };
  try {
    buildBackend();
    buildAdminUi();
    say('Migrating the template database…');
    await recreateDatabase(env.DATABASE_URL);
    run(process.execPath, [join(root, 'backend/dist/database/migrate.js')], {
      cwd: root,
      env: { ...process.env, ...env, APP_MODE: 'test' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });

    const artifacts = join(root, 'test', 'artifacts');
    mkdirSync(artifacts, { recursive: true });
    const report = join(artifacts, 'vitest-report.json');
    rmSync(report, { force: true });
    const vitestCode = await runAsync(
      process.execPath,
      [
        join(root, 'node_modules/vitest/vitest.mjs'),
        'run',
        '--reporter=default',
        '--reporter=json',
        `--outputFile.json=${report}`,
        ...process.argv.slice(2),
      ],
      {
        cwd: root,
        env: {
          ...process.env,
          ...Object.fromEntries(Object.entries(env).filter(([key]) => !['DATABASE_URL', 'REDIS_URL'].includes(key))),
          TEST_TEMPLATE_DATABASE_URL: env.DATABASE_URL,
          TEST_REDIS_URL: env.REDIS_URL,
        },
      },
    );
    totals = readTotals(report);
    if (vitestCode !== 0 && totals.failed === 0) totals.failed = 1; // vitest itself broke (no report or a crash)
  } finally {
    if (process.env.KEEP_TEST_STACK !== '1') stackDown('test', started, stackInput);
  }
  // The totals line is the last thing printed: CI reads it.
  console.log(`${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`);
  process.exit(totals.failed > 0 ? 1 : 0);
}

function readTotals(report) {
  if (!existsSync(report)) return { passed: 0, failed: 0, skipped: 0 };
  const json = JSON.parse(readFileSync(report, 'utf8'));
  return {
    passed: json.numPassedTests ?? 0,
    // A file that fails to load counts as a failure even though no test in it ran.
    failed:
      (json.numFailedTests ?? 0) +
      (json.testResults ?? []).filter((file) => file.status === 'failed' && file.assertionResults?.length === 0).length,
    skipped: (json.numPendingTests ?? 0) + (json.numTodoTests ?? 0),
  };
}

main().catch((error) => {
  warn(error.stack ?? String(error));
  console.log('0 passed, 1 failed');
  process.exit(1);
});
