// The hostile site (tests/sites/hostile) in a real browser: zero script execution.
//
// The corpus's payloads try to reach `/__vmo_xss/<name>` on the serving host (fetch, a
// script or style source, a refresh, a base URL), post `vmo-xss:<name>` to the parent
// window (opaque-origin frames), or call alert(). Every page of the built site is
// visited in headless Chromium; every element is hovered, every focusable element
// focused, every link and form button clicked (navigations are stopped so the page
// stays). Any beacon request, message, dialog, `vmo-xss` console line or page error is
// an execution; any CSP violation means a payload reached the page intact.
//
// The detectors are tested too: the corpus's beacon block, served unsanitised on a
// control page, must be seen running; with the site's CSP added, the inline payloads
// must be blocked and reported as violations. The site is then checked twice: as
// served, and with its CSP meta tag stripped (the sanitiser alone must suffice).
//
// Build: the release binary into a temporary folder, or SITE_DIR_HOSTILE (a built site).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from './server.mjs';
import { launch } from './browser.mjs';
import { builtSite, htmlPages, repo } from './sites.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const screens = join(here, 'out', 'screens');
const corpus = join(repo, 'tests/sites/hostile/content');
const BEACON = '/__vmo_xss/';
const CSP_META = /<meta http-equiv="Content-Security-Policy" content="[^"]*">/;

// What must be seen running on the unprotected control page (detector self-test), and
// what still gets through the CSP alone there (same-origin loads the CSP allows: the
// sanitiser must drop them). Pinned from a run on Debian's Chromium; a payload that
// stops running in a newer browser makes the control fail, to be looked at. Not listed:
// `data-link` (Chromium refuses top-level data: navigations) and `template` (no
// client-side template engine exists to evaluate it).
const MUST_RUN_UNPROTECTED = [
  'base', 'body-onload', 'embed', 'form-action', 'iframe-data', 'iframe-js', 'img-onerror',
  'js-link', 'js-link-entity', 'mathml-link', 'md-link', 'meta-refresh', 'noscript',
  'object-data', 'onfocus', 'onmouseover', 'ontoggle', 'script', 'script-src', 'srcdoc',
  'style-import', 'stylesheet', 'svg-animate', 'svg-image-onerror', 'svg-onload', 'svg-script',
];
const PASS_THE_CSP = ['meta-refresh', 'script-src', 'stylesheet'];

let site, server, context, pages, controlDir, cspMeta;
const totals = { visits: 0, links: 0, buttons: 0, hovered: 0, focused: 0 };

/** The beacon blocks of the corpus (raw HTML between the start and end markers). */
function beaconBlocks() {
  const blocks = new Set();
  for (const file of ['initiatives/hostile-two.md', 'reports/hostile-report.md']) {
    const text = readFileSync(join(corpus, file), 'utf8');
    const m = text.match(/<!-- vmo-xss-beacons:start -->\n([\s\S]*?)<!-- vmo-xss-beacons:end -->/);
    assert.ok(m, `${file} has a beacon block`);
    blocks.add(m[1]);
  }
  assert.equal(blocks.size, 1, 'the beacon blocks of the narrative and the report are the same');
  return [...blocks][0];
}

/** Every payload of the corpus: distinct beacon names and alert() calls, over all files. */
function countPayloads() {
  let beacons = new Set(), alerts = 0;
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) { walk(p); continue; }
      const text = readFileSync(p, 'utf8');
      for (const m of text.matchAll(/__vmo_xss\/([a-z-]+)|vmo-xss:([a-z-]+)/g)) beacons.add(m[1] ?? m[2]);
      alerts += (text.match(/alert\(/g) ?? []).length + (text.match(/msgbox\(/g) ?? []).length;
    }
  };
  walk(corpus);
  return { beacons: beacons.size, alerts };
}

before(async () => {
  mkdirSync(screens, { recursive: true });
  site = builtSite('tests/sites/hostile', 'SITE_DIR_HOSTILE');
  pages = htmlPages(site.dir);
  cspMeta = readFileSync(join(site.dir, 'index.html'), 'utf8').match(CSP_META)?.[0];
  assert.ok(cspMeta, 'the built site carries a CSP meta tag');
  // The control pages: the corpus's beacon block and its Markdown link, unsanitised.
  controlDir = mkdtempSync(join(tmpdir(), 'vmo-control-'));
  const body = `${beaconBlocks()}\n<p><a href="javascript:fetch('/__vmo_xss/md-link')">markdown link</a></p>`;
  const doc = (meta) => `<!doctype html><html lang="en"><head><meta charset="utf-8">${meta}`
    + `<title>control</title></head><body>\n${body}\n</body></html>\n`;
  writeFileSync(join(controlDir, 'none.html'), doc(''));
  writeFileSync(join(controlDir, 'csp.html'), doc(cspMeta));
  server = await serve(site.dir, {
    '/__control/none.html': join(controlDir, 'none.html'),
    '/__control/csp.html': join(controlDir, 'csp.html'),
  });
  context = await launch();
});
after(async () => {
  await context?.close();
  await server?.close();
  site?.cleanup();
  if (controlDir) rmSync(controlDir, { recursive: true, force: true });
  const p = countPayloads();
  console.log(`security: ${pages?.length} pages; ${totals.visits} page visits; payloads in the corpus: `
    + `${p.beacons} distinct beacons, ${p.alerts} alert()/msgbox() calls; clicked ${totals.links} links `
    + `and ${totals.buttons} form buttons, hovered ${totals.hovered} elements, focused ${totals.focused}`);
});

/**
 * Opens `path`, provokes every payload, and returns what was seen. With `stripCsp`, the
 * CSP meta tag is removed from every HTML document before the browser sees it.
 */
async function visit(path, { stripCsp = false } = {}) {
  const page = await context.newPage();
  const seen = {
    beacons: [], messages: [], dialogs: [], reports: [], pageErrors: [], consoleErrors: [],
    csp: [], navigations: [], popups: [], stripped: 0,
  };
  let loaded = false;
  page.on('dialog', (d) => { seen.dialogs.push(d.message()); d.dismiss().catch(() => {}); });
  page.on('pageerror', (e) => seen.pageErrors.push(e.message));
  page.on('popup', (p) => { seen.popups.push(p.url()); p.close().catch(() => {}); });
  page.on('console', (m) => {
    const t = m.text();
    // The browser's own reports naming a payload (a refused navigation, a blocked plugin)
    // mean the payload reached the page, not that it ran.
    if (/vmo[-_]xss/.test(t)) seen.reports.push(t);
    // A 404 for a sanitised `<img src="x">` is expected; anything else is reported.
    else if (m.type() === 'error' && !t.startsWith('Failed to load resource')) seen.consoleErrors.push(t);
  });
  await page.exposeBinding('__vmoSeen', (_source, kind, detail) => seen[kind].push(detail));
  await page.addInitScript(() => {
    addEventListener('message', (e) => {
      if (typeof e.data === 'string' && e.data.startsWith('vmo-xss:')) window.__vmoSeen('messages', e.data.slice(8));
    });
    document.addEventListener('securitypolicyviolation', (e) =>
      window.__vmoSeen('csp', `${e.violatedDirective} ${e.blockedURI || '(inline)'} ${e.sample}`.trim()));
  });
  await page.route('**/*', async (route) => {
    const req = route.request();
    const url = new URL(req.url());
    if (url.pathname.startsWith(BEACON)) {
      seen.beacons.push(url.pathname.slice(BEACON.length));
      return route.fulfill({ status: 204 });
    }
    if (loaded && req.isNavigationRequest() && req.frame() === page.mainFrame()) {
      // A 204 answer keeps the current page (an aborted navigation would show an error page).
      seen.navigations.push(url.pathname);
      return route.fulfill({ status: 204 });
    }
    if (stripCsp && req.resourceType() === 'document') {
      const res = await route.fetch();
      const html = await res.text();
      const bare = html.replace(CSP_META, '');
      if (bare !== html) seen.stripped += 1;
      return route.fulfill({ response: res, body: bare });
    }
    return route.continue();
  });
  const url = server.url + path;
  await page.goto(url, { waitUntil: 'load' });
  loaded = true;
  await page.waitForTimeout(200);
  const acted = await page.evaluate(async () => {
    const pause = (ms) => new Promise((ok) => setTimeout(ok, ms));
    const n = { links: 0, buttons: 0, hovered: 0, focused: 0 };
    for (const el of document.querySelectorAll('body *')) {
      for (const type of ['mouseover', 'mouseenter']) el.dispatchEvent(new MouseEvent(type, { bubbles: true }));
      n.hovered += 1;
    }
    for (const el of document.querySelectorAll('a, area, button, input, select, textarea, summary, [tabindex]')) {
      el.focus?.();
      n.focused += 1;
    }
    const click = (el) => el.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true, view: window }));
    for (const a of document.querySelectorAll('a[href], area[href], a[*|href]')) {
      if (a.hasAttribute('download')) continue; // a file download, not a navigation
      const href = a.getAttribute('href') ?? a.getAttributeNS('http://www.w3.org/1999/xlink', 'href') ?? '';
      click(a);
      n.links += 1;
      // Let a javascript: URL run before the next click starts a navigation.
      await pause(/^\s*(https?:|\/|\.|#|[a-z0-9_-]+\/)/i.test(href) ? 0 : 30);
    }
    // SVG links have no href attribute until an animation sets one: click them too.
    for (const a of document.querySelectorAll('svg a:not([href])')) { click(a); n.links += 1; await pause(30); }
    for (const b of document.querySelectorAll('form button, form input[type=submit]')) {
      click(b);
      n.buttons += 1;
      await pause(30);
    }
    return n;
  });
  await page.waitForTimeout(300);
  const text = await page.evaluate(() => document.body?.innerText ?? '');
  seen.templateEvaluated = ['TPL49TPL', 'LOOPLOOPLOOP', 'vmopwned'].filter((s) => text.includes(s));
  seen.stayed = page.url().split('#')[0] === url; // in-page links only move the fragment
  for (const k of Object.keys(totals)) if (k !== 'visits') totals[k] += acted[k];
  totals.visits += 1;
  seen.page = page;
  return seen;
}

/** The names of the payloads that ran (beacon hits, messages, dialogs). */
const executions = (s) => [...s.beacons, ...s.messages, ...s.dialogs.map((d) => `dialog:${d}`)];

test('control: the detectors see the corpus payloads run on an unprotected page', async () => {
  const s = await visit('__control/none.html');
  await s.page.screenshot({ path: join(screens, 'security-control.png'), fullPage: true });
  await s.page.close();
  const ran = new Set(executions(s).map((e) => e.split('/')[0]));
  console.log(`control without CSP: ${ran.size} payloads ran: ${[...ran].sort().join(' ')}`);
  const missed = MUST_RUN_UNPROTECTED.filter((n) => !ran.has(n));
  assert.deepEqual(missed, [], 'payloads the detectors did not see running on the unprotected page');
});

test('control: the site CSP alone blocks every other payload and reports it', async () => {
  const s = await visit('__control/csp.html');
  await s.page.close();
  const ran = new Set(executions(s).map((e) => e.split('/')[0]));
  console.log(`control with the CSP: ${s.csp.length} violations; still ran (same-origin loads): ${[...ran].sort().join(' ')}`);
  assert.deepEqual([...ran].filter((n) => !PASS_THE_CSP.includes(n)).sort(), [], 'payloads the CSP did not block');
  assert.deepEqual(PASS_THE_CSP.filter((n) => !ran.has(n)), [], 'the same-origin loads are expected to pass the CSP');
  assert.ok(s.csp.length >= 10, `expected CSP violations for the blocked payloads, got ${s.csp.length}`);
});

for (const stripCsp of [false, true]) {
  test(`every page of the hostile site runs no script (${stripCsp ? 'CSP meta removed: the sanitiser alone' : 'as served, with its CSP'})`, async () => {
    const failures = [];
    let stripped = 0;
    for (const path of pages) {
      const s = await visit(path, { stripCsp });
      if (path === 'initiatives/hostile-two/index.html' && !stripCsp) {
        await s.page.screenshot({ path: join(screens, 'security-hostile-two.png'), fullPage: true });
      }
      await s.page.close();
      stripped += s.stripped;
      const bad = {
        executions: executions(s), csp: s.csp, reports: s.reports, pageErrors: s.pageErrors, consoleErrors: s.consoleErrors,
        popups: s.popups, templateEvaluated: s.templateEvaluated,
      };
      if (!s.stayed) bad.leftThePage = true;
      const found = Object.entries(bad).filter(([, v]) => v === true || v.length > 0);
      if (found.length > 0) failures.push(`${path}: ${JSON.stringify(Object.fromEntries(found))}`);
    }
    if (stripCsp) assert.equal(stripped, pages.length, 'the CSP meta tag was removed from every page');
    assert.ok(pages.length >= 20, `expected the whole hostile site, found ${pages.length} pages`);
    assert.deepEqual(failures, [], 'pages where a payload ran, or reached the page intact');
  });
}
