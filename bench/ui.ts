/**
 * npm run bench -- ui
 *
 * Issue 8's budget: the JavaScript the browser needs for the first screen is
 * at most 300 kB gzip. Builds the admin UI (Vite, with its manifest) into a
 * folder of its own, then measures that initial JavaScript twice:
 *  - statically: the entry chunk of index.html plus everything it imports
 *    statically (the manifest's `imports`, transitively — which is what the
 *    modulepreload links name); lazy routes and charts (`dynamicImports`) are not in it;
 *  - in Chromium: the real API serving that build, a fresh browser opening
 *    `/`, every script it fetched until the login form is there and the
 *    network idle; then, signed in, what the dashboard adds.
 * Each file counts by its gzip size (level 9, as a server would send it; the
 * API itself serves it uncompressed, so the raw bytes are reported too). The
 * baseline of the same build: every JavaScript chunk it has (the whole app
 * loaded at once, as without code splitting), and the budget.
 */
import 'reflect-metadata';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import pg from 'pg';
import { pino } from 'pino';
import { passwordHasher } from '../backend/src/auth/password-hasher.js';
import { AppConfig } from '../backend/src/config/app-config.js';
import { createApp } from '../backend/src/http/create-app.js';
import { benchEnv, freshDatabase } from './lib/bench-database.js';
import { repoRoot, report } from './lib/report.js';
import { launchChromium } from '../test/support/browser.js';

const budgetKb = 300;

interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
}

const kb = (bytes: number) => bytes / 1024;
const gzipOf = (buffer: Buffer) => gzipSync(buffer, { level: 9 }).length;

/** Vite's production build, with its manifest, into a folder of our own (the tests' admin-ui/dist stays untouched). */
function build(outDir: string) {
  const started = performance.now();
  const result = spawnSync(
    process.execPath,
    [join(repoRoot, 'node_modules/vite/bin/vite.js'), 'build', '--outDir', outDir, '--emptyOutDir', '--manifest', '--logLevel', 'warn'],
    { cwd: join(repoRoot, 'admin-ui'), stdio: ['ignore', 'inherit', 'inherit'] },
  );
  if (result.status !== 0) throw new Error(`vite build failed (exit ${result.status})`);
  return (performance.now() - started) / 1000;
}

/** The entry of index.html and its static imports, transitively, per the manifest. */
function staticInitial(outDir: string): string[] {
  const manifest = JSON.parse(readFileSync(join(outDir, '.vite', 'manifest.json'), 'utf8')) as Record<string, ManifestChunk>;
  const html = readFileSync(join(outDir, 'index.html'), 'utf8');
  const entryFile = /<script type="module"[^>]*src="\/([^"]+)"/.exec(html)?.[1];
  const entryKey = Object.keys(manifest).find((key) => manifest[key]!.isEntry && manifest[key]!.file === entryFile);
  if (!entryKey) throw new Error(`the entry script ${entryFile} of index.html is not in the manifest`);
  const files = new Set<string>();
  const visit = (key: string) => {
    const chunk = manifest[key]!;
    if (files.has(chunk.file)) return;
    files.add(chunk.file);
    for (const imported of chunk.imports ?? []) visit(imported);
  };
  visit(entryKey);
  // Every modulepreload link of index.html must be in that set (Vite writes them from the same graph).
  for (const [, href] of html.matchAll(/rel="modulepreload"[^>]*href="\/([^"]+)"/g)) {
    if (!files.has(href!)) throw new Error(`index.html preloads ${href}, which the entry does not import statically`);
  }
  return [...files];
}

/** Scripts Chromium fetched from the built UI: before the login form is idle, and what signing in to the dashboard adds. */
async function inBrowser(outDir: string): Promise<{ login: Map<string, number>; dashboard: Map<string, number> }> {
  const databaseUrl = await freshDatabase('bench_ui');
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query(
    `INSERT INTO app_user (email, full_name, password_hash, roles) VALUES ('commander@bench.test', 'Bench', $1, '{incident_commander}')`,
    [await passwordHasher.hash('bench password 123')],
  );
  await client.end();
  const config = AppConfig.fromEnv({
    APP_MODE: 'test',
    DATABASE_URL: databaseUrl,
    REDIS_URL: benchEnv.redisUrl,
    QUEUE_PREFIX: 'bench-ui',
    LOG_LEVEL: 'silent',
    ADMIN_UI_DIR: outDir,
  });
  const app = await createApp(config, pino({ level: 'silent' }));
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  const baseUrl = `http://127.0.0.1:${port}`;
  const { context, profile } = await launchChromium('rd-bench-chromium-');
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    let scripts = new Map<string, number>();
    let reading: Promise<void>[] = [];
    page.on('response', (response) => {
      const url = new URL(response.url());
      if (url.origin !== baseUrl || !url.pathname.endsWith('.js')) return;
      const into = scripts;
      reading.push(response.body().then((body) => void into.set(url.pathname.slice(1), body.length)));
    });
    /** The scripts seen since the last call, once their bodies are read. */
    const take = async () => {
      await Promise.all(reading);
      const seen = scripts;
      [scripts, reading] = [new Map(), []];
      return seen;
    };
    await page.goto(baseUrl + '/');
    await page.locator('input[name="username"]').waitFor({ timeout: 30_000 });
    await page.waitForLoadState('networkidle');
    const login = await take();
    await page.fill('input[name="username"]', 'commander@bench.test');
    await page.fill('input[name="password"]', 'bench password 123');
    await page.click('button[type="submit"]');
    await page.getByTestId('dashboard').waitFor({ timeout: 30_000 });
    await page.waitForLoadState('networkidle');
    return { login, dashboard: await take() };
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
    await app.close();
  }
}

async function main() {
  const outDir = mkdtempSync(join(tmpdir(), 'rd-bench-ui-'));
  try {
    console.log('Building the admin UI…');
    const buildSeconds = build(outDir);
    const sizes = new Map<string, { raw: number; gzip: number }>();
    for (const file of readdirSync(join(outDir, 'assets')).filter((f) => f.endsWith('.js'))) {
      const buffer = readFileSync(join(outDir, 'assets', file));
      sizes.set(`assets/${file}`, { raw: buffer.length, gzip: gzipOf(buffer) });
    }
    const sum = (files: Iterable<string>, key: 'raw' | 'gzip') => [...files].reduce((n, f) => n + (sizes.get(f)?.[key] ?? 0), 0);
    const initialFiles = staticInitial(outDir);

    console.log('Loading the login screen and the dashboard in Chromium…');
    const loaded = await inBrowser(outDir);
    const unknown = [...loaded.login.keys(), ...loaded.dashboard.keys()].filter((f) => !sizes.has(f));
    if (unknown.length) throw new Error(`the browser loaded scripts that are not in the build: ${unknown.join(', ')}`);
    const notLoaded = initialFiles.filter((f) => !loaded.login.has(f));
    if (notLoaded.length) console.log(`  note: statically imported but not fetched by the browser: ${notLoaded.join(', ')}`);

    const staticKb = kb(sum(initialFiles, 'gzip'));
    const browserKb = kb(sum(loaded.login.keys(), 'gzip'));
    // The larger of the two: what the first screen needs, however it is counted.
    const initialKb = Math.max(staticKb, browserKb);
    const totalKb = kb(sum(sizes.keys(), 'gzip'));
    const largest = [...loaded.login.keys()].sort((a, b) => sizes.get(b)!.gzip - sizes.get(a)!.gzip)[0]!;
    report(
      'ui',
      {
        initial_js_gzip_kb: Number(initialKb.toFixed(1)),
        initial_js_static_gzip_kb: Number(staticKb.toFixed(1)),
        initial_js_browser_gzip_kb: Number(browserKb.toFixed(1)),
        initial_js_browser_raw_kb: Number(kb([...loaded.login.values()].reduce((n, b) => n + b, 0)).toFixed(1)),
        initial_chunks: loaded.login.size,
        largest_initial_chunk: largest.replace(/^assets\//, ''),
        largest_initial_chunk_gzip_kb: Number(kb(sizes.get(largest)!.gzip).toFixed(1)),
        dashboard_adds_js_gzip_kb: Number(kb(sum(loaded.dashboard.keys(), 'gzip')).toFixed(1)),
        dashboard_adds_chunks: loaded.dashboard.size,
        total_js_gzip_kb: Number(totalKb.toFixed(1)),
        chunk_count: sizes.size,
        initial_share_of_total: Number((initialKb / totalKb).toFixed(3)),
        budget_kb: budgetKb,
        within_budget: initialKb <= budgetKb,
        build_seconds: Number(buildSeconds.toFixed(1)),
      },
      [
        'initial = entry + its static imports (manifest) and the scripts Chromium fetched before the login form was idle;',
        'the larger of the two counts. gzip level 9 per file. Baseline: every chunk of the same build (no splitting), and the budget.',
      ],
    );
    if (initialKb > budgetKb) process.exitCode = 1;
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
