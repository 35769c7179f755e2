import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { testEnv } from './test-env.js';

export interface TestBrowser {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught page errors seen so far. */
  errors: string[];
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * Debian's Chromium driven by playwright-core in a fresh profile folder (the
 * caller removes it), with every background network feature off: this
 * machine has no internet. Shared by the browser tests and `bench -- ui`.
 */
export async function launchChromium(profilePrefix: string, options: { viewport?: { width: number; height: number } } = {}) {
  const profile = mkdtempSync(join(tmpdir(), profilePrefix));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    ...options,
  });
  return { context, profile };
}

/** A browser for one test file: a page whose console errors are collected, and screenshots. */
export async function openBrowser(): Promise<TestBrowser> {
  const { context, profile } = await launchChromium('rd-chromium-', { viewport: { width: 1366, height: 850 } });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  const shots = join(testEnv.repoRoot, 'test', 'artifacts', 'screenshots');
  mkdirSync(shots, { recursive: true });
  return {
    context,
    page,
    errors,
    async screenshot(name) {
      const path = join(shots, `${name}.png`);
      await page.screenshot({ path, fullPage: true });
      return path;
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Signs in through the login form, as a person would, and waits for the dashboard. */
export async function signInThroughUi(page: Page, baseUrl: string, email: string, password: string) {
  await page.goto(baseUrl + '/#/login');
  await page.fill('input[name="username"]', email);
  await page.fill('input[name="password"]', password);
  await page.click('button[type="submit"]');
  await page.getByTestId('dashboard').waitFor();
}
