// The report in a real browser: the sample organisation's report (after its cycle,
// against DynamoDB Local) opened from a file in the system's Chromium through
// playwright-core, offline. Every chart is there with the accessible name Chromium
// computes for it; no request leaves the page (file: and data: only); the page's own
// Content-Security-Policy lets its style sheet apply and blocks nothing it needs; the
// data tables print open; a phone-width screen scrolls no page sideways; it prints to
// a PDF. Screenshots go to test-results/report/ (git-ignored).
//
// Needs Chromium at /usr/bin/chromium (Debian's package `chromium`), or CHROMIUM_PATH.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHART_IDS, renderReport } from '../lib/domain/report/render.ts';
import { gatherReport } from '../lib/usecases/report/gather.ts';
import { testRuntime } from './support/local-store.ts';
import { NOW, ORG, runCycle, sampleFile } from './support/report-sample.ts';
import { tempDir } from './support/temp-dir.ts';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const SHOTS = path.resolve('test-results/report');

describe('the report in Chromium, offline', () => {
  let browser: Browser;
  let file: string;
  let doc: string;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: install Debian's package (apt-get install chromium; .ci/run does where it is missing) or set CHROMIUM_PATH`);
    const rt = await testRuntime();
    await runCycle(rt, sampleFile());
    doc = renderReport(await gatherReport(rt, ORG, { now: NOW }));
    file = path.join(tempDir('report-browser-'), 'report.html');
    writeFileSync(file, doc);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    mkdirSync(SHOTS, { recursive: true });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('shows every chart with an accessible name, fetches nothing and logs no error', async () => {
    const context = await browser.newContext({ offline: true, viewport: { width: 1100, height: 900 } });
    const page = await context.newPage();
    const requests: string[] = [];
    const problems: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });

    const svgs = page.locator('svg');
    expect(await svgs.count()).toBe(Object.keys(CHART_IDS).length);
    for (const id of Object.values(CHART_IDS)) {
      const svg = page.locator(`figure#${id} svg`);
      expect(await svg.getAttribute('role'), id).toBe('img');
      // The name Chromium's accessibility tree gives it (its <title>): `- img "..."`, in YAML.
      const name = /^- '?img "([^"]*)"/.exec(await svg.ariaSnapshot())?.[1];
      expect(name, id).toBe(await page.locator(`figure#${id} > figcaption`).textContent());
      expect(await svg.boundingBox(), id).not.toBeNull();
      expect((await svg.boundingBox())!.height, id).toBeGreaterThan(50);
      expect(await page.locator(`figure#${id} details.data table`).count(), id).toBeGreaterThan(0);
    }
    // The style sheet applied (its hash is the one the page's policy allows).
    // (Functions for the page are written as text: this project's TypeScript knows no DOM.)
    const fill = await page.evaluate(`getComputedStyle(document.querySelector('figure#${CHART_IDS.storage} rect.f-red')).fill`);
    expect(fill).toBe('rgb(198, 40, 40)');
    expect(requests.filter((u) => !u.startsWith('file:') && !u.startsWith('data:'))).toEqual([]);
    expect(problems).toEqual([]);
    await page.screenshot({ path: path.join(SHOTS, 'report-desktop.png'), fullPage: true });
    await context.close();
  });

  it('fits a phone-width screen: the page never scrolls sideways', async () => {
    const context = await browser.newContext({ offline: true, viewport: { width: 375, height: 812 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    const widths = await page.evaluate<{ scroll: number; client: number }>('({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth })');
    expect(widths.scroll).toBeLessThanOrEqual(widths.client);
    // A chart keeps a readable size and scrolls sideways in its own box.
    for (const id of Object.values(CHART_IDS)) {
      expect((await page.locator(`figure#${id} > .chart-box`).boundingBox())!.width, id).toBeLessThanOrEqual(375);
      expect((await page.locator(`figure#${id} svg`).boundingBox())!.width, id).toBeGreaterThanOrEqual(520);
    }
    await page.screenshot({ path: path.join(SHOTS, 'report-phone.png'), fullPage: true });
    await context.close();
  });

  it('prints: the data tables open, every figure whole, to a PDF of several pages', async () => {
    const context = await browser.newContext({ offline: true });
    const page = await context.newPage();
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    expect(await page.locator('details.data table').first().isVisible()).toBe(false); // folded on screen
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('details.data table').first().isVisible()).toBe(true);
    expect(await page.locator('nav.toc').isVisible()).toBe(false);
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect((pdf.toString('latin1').match(/\/Type\s*\/Page\b/g) ?? []).length).toBeGreaterThan(4);
    writeFileSync(path.join(SHOTS, 'report.pdf'), pdf);
    await context.close();
  });
});
