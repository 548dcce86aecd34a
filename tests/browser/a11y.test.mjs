// Accessibility and loading of the sample site in headless Chromium.
//
// 1. axe-core (pinned in package.json) on one page of every type, in the light and the
//    dark colour scheme, after the widgets have started: zero serious or critical
//    violations (minor and moderate ones are printed).
// 2. Every page loads with no failed request (stylesheets, fonts, widget modules and
//    wasm included) and no console error, and every widget on it (the what-if one on
//    every initiative page included) is ready and shows what it mounted.
//
// Build: the release binary into a temporary folder, or SITE_DIR_SAMPLE (a built site).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from './server.mjs';
import { launch } from './browser.mjs';
import { builtSite, htmlPages } from './sites.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const screens = join(here, 'out', 'screens');
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

// One page of each type: the first page whose path matches, in the built site.
const PAGE_TYPES = {
  dashboard: /^index\.html$/,
  'initiative list': /^initiatives\/index\.html$/,
  initiative: /^initiatives\/[^/]+\/index\.html$/,
  'value stream list': /^value-streams\/index\.html$/,
  'value stream': /^value-streams\/[^/]+\/index\.html$/,
  'objective list': /^objectives\/index\.html$/,
  objective: /^objectives\/[^/]+\/index\.html$/,
  prioritisation: /^prioritisation\/index\.html$/,
  roadmap: /^roadmap\/index\.html$/,
  dependencies: /^dependencies\/index\.html$/,
  risks: /^risks\/index\.html$/,
  benefits: /^benefits\/index\.html$/,
  'report list': /^reports\/index\.html$/,
  report: /^reports\/[^/]+\/index\.html$/,
  data: /^data\/index\.html$/,
  whatif: /^whatif\/index\.html$/,
  'not found': /^404\.html$/,
};
const SERIOUS = new Set(['serious', 'critical']);

let site, server, context, pages;

before(async () => {
  mkdirSync(screens, { recursive: true });
  site = builtSite('.', 'SITE_DIR_SAMPLE');
  pages = htmlPages(site.dir);
  server = await serve(site.dir);
  context = await launch();
});
after(async () => {
  await context?.close();
  await server?.close();
  site?.cleanup();
});

/** Opens a page and records failed requests, HTTP errors and console errors. */
async function open(path) {
  const page = await context.newPage();
  const problems = [];
  page.on('requestfailed', (r) => problems.push(`failed: ${r.url()} (${r.failure()?.errorText})`));
  page.on('response', (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`); });
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  await page.goto(server.url + path, { waitUntil: 'load' });
  // Widgets mark themselves with data-vmo-state once started (ready or failed). Every
  // widget must start, be ready and show what it mounted: a widget that failed, or never
  // started, is a problem of the page (it used to be waited for and then ignored).
  const widgets = await page.$$eval('[data-vmo-widget]', (ws) => ws.length);
  if (widgets) {
    try {
      await page.waitForFunction(() => [...document.querySelectorAll('[data-vmo-widget]')]
        .every((w) => w.hasAttribute('data-vmo-state')), null, { timeout: 20000 });
    } catch {
      problems.push('widget: not started (no data-vmo-state after 20 s)');
    }
    problems.push(...(await page.$$eval('[data-vmo-widget]', mountProblems)));
  }
  return { page, problems, widgets };
}

/**
 * What is wrong with each widget element (runs in the page): it is not ready, shows an
 * error, or lacks what its kind mounts (a form, and the figures, rows or charts it draws).
 */
function mountProblems(roots) {
  const MOUNTED = {
    whatif: ['[data-out="baseline.npv_text"]', '[data-out="scenario.npv_text"]',
      '[data-chart="baseline.cash_flow"] svg'],
    prioritise: ['.vmo-ranking tbody tr', '[data-out="selection.value"]', '[data-chart="frontier"] svg'],
    explore: ['.vmo-results tbody tr', '[data-out="count"]'],
  };
  const out = [];
  for (const w of roots) {
    const kind = w.dataset.vmoWidget;
    const name = `widget ${kind}${w.dataset.initiative ? ` (${w.dataset.initiative})` : ''}`;
    const status = w.querySelector(':scope > .vmo-status');
    if (w.dataset.vmoState !== 'ready') out.push(`${name}: ${w.dataset.vmoState ?? 'not started'}: ${status?.textContent ?? ''}`);
    else if (status?.dataset.kind === 'error' && !status.hidden) out.push(`${name}: error: ${status.textContent}`);
    if (!w.querySelector('.vmo-form')) out.push(`${name}: no form mounted`);
    for (const sel of MOUNTED[kind] ?? ['*']) {
      const el = w.querySelector(sel);
      const shown = el && (el.tagName === 'svg' || el.tagName === 'TR' || !['', '—'].includes(el.textContent.trim()));
      if (!shown) out.push(`${name}: nothing in ${sel}`);
    }
  }
  return out;
}

test('axe-core: no serious or critical violation on any page type, light and dark', async () => {
  const counts = { critical: 0, serious: 0, moderate: 0, minor: 0 };
  const serious = [];
  let runs = 0;
  for (const [type, pattern] of Object.entries(PAGE_TYPES)) {
    const path = pages.find((p) => pattern.test(p));
    assert.ok(path, `no ${type} page in the site`);
    for (const colorScheme of ['light', 'dark']) {
      const { page, problems } = await open(path);
      assert.deepEqual(problems.filter((p) => p.startsWith('widget')), [], `${path}: widgets before axe runs`);
      await page.emulateMedia({ colorScheme });
      // The CSP forbids injected script elements; evaluation through the DevTools
      // protocol is not subject to it and leaves the page's policy as it is.
      await page.evaluate(axeSource);
      const violations = await page.evaluate(async () =>
        (await window.axe.run(document, { resultTypes: ['violations'] })).violations.map((v) => ({
          id: v.id, impact: v.impact, help: v.help,
          nodes: v.nodes.map((n) => `${n.target.join(' ')}${n.failureSummary ? `: ${n.failureSummary.split('\n').slice(1, 2).join('').trim()}` : ''}`),
        })));
      runs += 1;
      if (colorScheme === 'dark' && type === 'initiative') {
        await page.screenshot({ path: join(screens, 'a11y-initiative-dark.png'), fullPage: false });
      }
      await page.close();
      for (const v of violations) {
        counts[v.impact] = (counts[v.impact] ?? 0) + v.nodes.length;
        const line = `${type} (${path}, ${colorScheme}) ${v.impact} ${v.id}: ${v.help}\n      ${v.nodes.slice(0, 5).join('\n      ')}`
          + (v.nodes.length > 5 ? `\n      ... and ${v.nodes.length - 5} more` : '');
        if (SERIOUS.has(v.impact)) serious.push(line);
        else console.log(`axe (not failing): ${line}`);
      }
    }
  }
  console.log(`axe: ${runs} runs over ${Object.keys(PAGE_TYPES).length} page types; violating nodes by impact: ${JSON.stringify(counts)}`);
  assert.deepEqual(serious, [], 'serious or critical accessibility violations');
});

test('every page of the sample site loads with no failed request or console error, every widget mounted', async () => {
  const failures = [];
  let mounted = 0;
  const withWidget = [];
  for (const path of pages) {
    const { page, problems, widgets } = await open(path);
    await page.close();
    mounted += widgets;
    if (widgets) withWidget.push(path);
    // The 404 page is served with status 200 by the test server; a 404 here is real.
    if (problems.length) failures.push(`${path}:\n  ${problems.join('\n  ')}`);
  }
  console.log(`loaded ${pages.length} pages, ${mounted} widgets on ${withWidget.length} of them`);
  assert.deepEqual(failures, [], 'pages with failed requests, console errors or widgets not mounted');
  // Not vacuous: every initiative page has its what-if widget, and the three widget pages theirs.
  const expected = pages.filter((p) => PAGE_TYPES.initiative.test(p) || /^(whatif|prioritisation|initiatives)\/index\.html$/.test(p));
  assert.ok(expected.length > 30, `${expected.length} widget pages`);
  assert.deepEqual(withWidget.filter((p) => expected.includes(p)), expected, 'pages whose widget was not found');
});
