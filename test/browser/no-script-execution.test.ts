import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roles } from '../../backend/src/auth/roles.js';
import { openBrowser, signInThroughUi, type TestBrowser } from '../support/browser.js';
import { asPlatform, sampleOrder } from '../support/orders.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { userWithRoles, type TestUser } from '../support/users.js';

/** Markup that runs (sets `window.__xss`, opens a dialog) if a page renders it as HTML; `tag` says which field it came from. */
const payload = (tag: string) => `<img src=x onerror="window.__xss='${tag}';alert('${tag}')"><script>window.__xss='${tag}'</script>${tag}`;
/** For fields capped at 64 characters (SKU). */
const shortPayload = (tag: string) => `<img src=x onerror=alert('${tag}')>${tag}`;

/**
 * Free text from hostile sources (the platform's orders, any signed-in user)
 * stored through the API with script payloads, then every page that renders
 * it opened in Chromium: nothing runs, no dialog opens, no element carries
 * the payload's handlers, and the text shows literally.
 */
describe('no script execution from stored text, in Chromium', () => {
  let api: TestApp;
  let browser: TestBrowser;
  let actor: TestUser;
  const dialogs: string[] = [];
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    api = await startTestApp();
    actor = await userWithRoles(api, [...roles]);
    const order = sampleOrder({
      externalId: 'XSS-1',
      customer: { externalId: 'XSS-CUST', name: payload('customer'), email: 'xss@example.com' },
      device: { id: 'XSS-DEV-1', model: payload('model'), firmwareVersion: shortPayload('fw') },
      lines: [{ sku: shortPayload('sku'), quantity: 1, unitPriceMinor: 1000, unitCostMinor: 100 }],
      shipTo: { name: payload('shipto'), line1: payload('line1'), city: 'Austin', postalCode: '73301', country: 'US' },
    });
    ids.order = (await asPlatform(api.http.post('/api/orders')).send(order).expect(201)).body.id;
    const incident = await actor
      .as(api.http.post('/api/incidents'))
      .send({
        title: payload('title'),
        severity: 'high',
        reason: payload('declare-reason'),
        orderFilter: { deviceId: 'XSS-DEV-1' },
        expectedCount: 1,
      })
      .expect(201);
    ids.incident = incident.body.id;
    await actor
      .as(api.http.patch(`/api/incidents/${ids.incident}`))
      .send({ summary: payload('summary'), reason: payload('edit-reason') })
      .expect(200);
    await actor
      .as(api.http.post(`/api/incidents/${ids.incident}/updates`))
      .send({ message: payload('update') })
      .expect(201);
    ids.user = (
      await actor
        .as(api.http.post('/api/users'))
        .send({ email: 'xss-user@example.test', fullName: payload('fullname'), roles: ['finance'], password: 'long enough password 1' })
        .expect(201)
    ).body.id;
    ids.quarantine = (
      await actor
        .as(api.http.post('/api/quarantines'))
        .send({ scope: 'device', deviceId: 'XSS-DEV-1', reason: payload('quarantine-reason') })
        .expect(201)
    ).body.id;
    ids.customer = (await api.db.query(`SELECT id::text FROM customer WHERE external_id = 'XSS-CUST'`)).rows[0].id;

    browser = await openBrowser();
    browser.page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await signInThroughUi(browser.page, api.baseUrl, actor.email, actor.password);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  /** Each page that renders the stored text, and a tag whose payload it must show as text. */
  const pages = (): [string, string][] => [
    ['#/incidents', 'title'],
    [`#/incidents/${ids.incident}/show`, 'title'],
    [`#/incidents/${ids.incident}/show?tab=timeline`, 'update'],
    [`#/incidents/${ids.incident}/show?tab=summary`, 'summary'],
    [`#/incidents/${ids.incident}/show?tab=devices`, 'model'],
    ['#/orders', 'customer'],
    [`#/orders/${ids.order}/show`, 'sku'],
    ['#/customers', 'customer'],
    [`#/customers/${ids.customer}/show`, 'customer'],
    ['#/devices', 'model'],
    [`#/devices/${encodeURIComponent('XSS-DEV-1')}/show`, 'model'],
    ['#/users', 'fullname'],
    [`#/users/${ids.user}/show`, 'fullname'],
    ['#/quarantines', 'quarantine-reason'],
    [`#/quarantines/${ids.quarantine}/show`, 'quarantine-reason'],
    ['#/audit-log', 'quarantine-reason'],
  ];

  it('renders every stored payload as text on every page, running nothing', async () => {
    const { page } = browser;
    const findings: string[] = [];
    for (const [hash, tag] of pages()) {
      await page.goto(`${api.baseUrl}/${hash}`);
      const literal = tag === 'sku' ? shortPayload(tag) : payload(tag);
      // The text must appear as text (in a field's value for the summary editor).
      const shown = page.getByText(literal, { exact: false }).first();
      try {
        await shown.waitFor({ timeout: 15_000 });
      } catch {
        const values = await page.locator('textarea, input').evaluateAll((els) => els.map((el) => (el as HTMLInputElement).value));
        if (!values.some((value) => value.includes(literal))) findings.push(`${hash}: "${tag}" payload not shown literally`);
      }
      await page.waitForTimeout(300); // let an injected handler fire if one exists
      const dom = await page.evaluate(() => ({
        xss: (window as unknown as { __xss?: string }).__xss,
        handlers: document.querySelectorAll('[onerror], [onload], iframe[srcdoc]').length,
        injectedImages: document.querySelectorAll('img[src="x"]').length,
        inlineScripts: [...document.querySelectorAll('script:not([src])')].filter((s) => s.textContent?.includes('__xss')).length,
      }));
      if (dom.xss) findings.push(`${hash}: window.__xss = ${dom.xss}`);
      if (dom.handlers || dom.injectedImages || dom.inlineScripts) findings.push(`${hash}: payload became markup ${JSON.stringify(dom)}`);
      await browser.screenshot(`no-script-execution-${hash.replace(/[^a-z0-9]+/gi, '-').replace(/-+$/, '')}`.slice(0, 90));
    }
    expect(findings).toEqual([]);
    expect(dialogs).toEqual([]);
    // A payload that reached the DOM as markup would also show up as a CSP refusal.
    expect(browser.errors.filter((e) => /Content Security Policy/i.test(e))).toEqual([]);
  }, 240_000);
});
