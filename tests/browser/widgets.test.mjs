// Browser tests of the wasm widgets on the built site (default ../../public; set SITE_DIR
// to test another build). Expected values are computed natively by
// `cargo run --example expected` (the same Rust functions the bundle runs), never
// hard-coded here. Screenshots go to out/screens/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from './server.mjs';
import { launch, openPage } from './browser.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../..');
const site = resolve(process.env.SITE_DIR ?? join(repo, 'public'));
const out = join(here, 'out');
const screens = join(out, 'screens');
const cases = JSON.parse(readFileSync(join(here, 'cases.json'), 'utf8'));
let expected, server, context;

before(async () => {
  mkdirSync(screens, { recursive: true });
  execFileSync('cargo', ['run', '--quiet', '--release', '-p', 'vmo-wasm-widgets', '--example', 'expected', '--',
    join(site, 'data/portfolio.json'), join(here, 'cases.json'), out], { cwd: repo, stdio: 'inherit' });
  expected = JSON.parse(readFileSync(join(out, 'expected.json'), 'utf8'));
  server = await serve(site);
  context = await launch();
});
after(async () => {
  await context?.close();
  await server?.close();
});

async function ready(page, kind) {
  const sel = `[data-vmo-widget="${kind}"]`;
  await page.waitForSelector(`${sel}[data-vmo-state]`, { timeout: 20000 });
  assert.equal(await page.getAttribute(sel, 'data-vmo-state'), 'ready',
    await page.textContent(`${sel} .vmo-status`));
  return sel;
}
const text = (page, sel) => page.$eval(sel, (e) => e.textContent.trim());
async function noProblems(page) {
  assert.deepEqual(await page.problems(), [], 'console errors or CSP violations');
}
/** Waits until the widget has applied the last input (one animation frame, then idle). */
const settle = (page) => page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => setTimeout(ok, 0))));

async function checkCase(page, side, c, mc) {
  for (const k of ['npv_text', 'irr_text', 'roi_text', 'payback_text', 'discounted_payback_text', 'bcr_text', 'total_cost_text', 'total_benefit_text']) {
    assert.equal(await text(page, `[data-out="${side}.${k}"]`), c[k], `${side} ${k}`);
  }
  if (mc?.Ok) {
    for (const q of mc.Ok.percentiles) assert.equal(await text(page, `[data-out="${side}.p${q.p}"]`), q.text, `${side} P${q.p}`);
    assert.equal(await text(page, `[data-out="${side}.prob_negative"]`), mc.Ok.prob_negative_text);
    assert.ok(await page.$(`[data-chart="${side}.histogram"] svg`), `${side} histogram drawn`);
  }
  assert.ok(await page.$(`[data-chart="${side}.cash_flow"] svg`), `${side} cash flow drawn`);
}

test('what-if on an initiative page: baseline, scenarios, inline errors, panic reporting', async () => {
  const w = cases.whatif;
  const page = await openPage(context, server.url + w.page);
  const sel = await ready(page, 'whatif');
  const ex = expected.whatif;
  // The page downloads its initiative's own inputs, not the whole portfolio.
  assert.ok(page.requested.some((p) => p.endsWith(`/data/whatif/${w.initiative}.json`)), page.requested.join(' '));
  assert.ok(!page.requested.some((p) => /\/data\/(portfolio|inputs)\.json$/.test(p)), page.requested.join(' '));
  await checkCase(page, 'baseline', ex.baseline.case, ex.baseline.monte_carlo);
  // The page's own static NPV is the widget's baseline NPV.
  assert.ok((await page.textContent('main')).includes(ex.baseline.case.npv_text));
  const field = (name) => `#vmo-wi-${w.initiative}-${name}`;
  for (const [n, step] of w.steps.entries()) {
    for (const [name, value] of Object.entries(step)) {
      if (name === 'discounting') await page.selectOption(field(name), value);
      else await page.fill(field(name), value);
    }
    await settle(page);
    const v = ex.steps[n].view;
    await checkCase(page, 'scenario', v.case, v.monte_carlo);
    assert.equal(await text(page, '[data-out="scenario.npv_change_text"]'), v.npv_change_text);
    await page.locator(sel).screenshot({ path: join(screens, `whatif-step${n + 1}.png`) });
  }
  // Bad input: an inline message, the widget keeps working.
  for (const [name, value] of Object.entries(w.invalid)) await page.fill(field(name), value);
  await settle(page);
  const err = ex.invalid.errors[0];
  assert.equal(await text(page, `#vmo-wi-${w.initiative}-${err.field}-err`), err.message);
  // "true", not "": assistive technology reads an empty aria-invalid as not invalid.
  assert.equal(await page.getAttribute(field(err.field), 'aria-invalid'), 'true');
  for (const name of Object.keys(w.steps[0]).filter((n) => n !== err.field)) {
    assert.equal(await page.getAttribute(field(name), 'aria-invalid'), null, `${name} is valid`);
  }
  await page.locator(`${sel} form`).screenshot({ path: join(screens, 'whatif-invalid.png') });
  // A panic in Rust is reported in the widget, and the widget recovers.
  await page.$eval(sel, (e) => e.dispatchEvent(new Event('vmo-test-panic')));
  assert.match(await text(page, `${sel} > .vmo-status`), /internal error[\s\S]*deliberate panic/);
  await page.fill(field('cost_overrun'), '0');
  await page.click(`${sel} .vmo-button`); // reset
  await settle(page);
  assert.equal(await page.getAttribute(field(err.field), 'aria-invalid'), null, 'valid again');
  await checkCase(page, 'scenario', ex.baseline.case, ex.baseline.monte_carlo);
  await noProblems(page);
  await page.close();
});

test('what-if standalone page: picker and link', async () => {
  const w = cases.whatif_standalone;
  const page = await openPage(context, `${server.url}${w.page}#initiative=${w.initiative}`);
  await ready(page, 'whatif');
  assert.equal(await page.inputValue('#vmo-wi-pick'), w.initiative);
  await checkCase(page, 'baseline', expected.whatif.standalone.case, expected.whatif.standalone.monte_carlo);
  await page.screenshot({ path: join(screens, 'whatif-standalone.png'), fullPage: true });
  await noProblems(page);
  await page.close();
});

test('what-if: every lever is in the link; the standalone page opens on the biggest open bet', async () => {
  const w = cases.whatif_standalone;
  const page = await openPage(context, `${server.url}${w.page}`);
  await ready(page, 'whatif');
  assert.equal(await page.inputValue('#vmo-wi-pick'), expected.whatif.default_initiative);
  await noProblems(page);
  await page.close();
  // A scenario on an initiative page: its link opens the same levers and figures.
  const c = cases.whatif;
  const first = await openPage(context, server.url + c.page);
  await ready(first, 'whatif');
  const id = await first.getAttribute('[data-vmo-widget="whatif"]', 'data-initiative');
  const field = (name) => `#vmo-wi-${id}-${name}`;
  await first.fill(field('cost_overrun'), '30');
  await first.fill(field('delay'), '2');
  await settle(first);
  const hash = new URL(first.url()).hash;
  assert.equal(hash, '#cost_overrun=30&delay=2');
  assert.equal(await first.getAttribute('[data-out="link"]', 'href'), hash);
  const npv = await text(first, '[data-out="scenario.npv_text"]');
  const printed = await text(first, '[data-out="scenario"]');
  assert.match(printed, /cost overrun 30%, .*benefits delayed by 2 /);
  const again = await openPage(context, first.url());
  await ready(again, 'whatif');
  await settle(again);
  assert.equal(await again.inputValue(field('cost_overrun')), '30');
  assert.equal(await again.inputValue(field('delay')), '2');
  assert.equal(await text(again, '[data-out="scenario.npv_text"]'), npv);
  assert.notEqual(npv, await text(again, '[data-out="baseline.npv_text"]'));
  // Back to the plan: the fragment empties.
  await again.click('[data-vmo-widget="whatif"] .vmo-button');
  await settle(again);
  assert.equal(new URL(again.url()).hash, '');
  await noProblems(again);
  await first.close();
  await again.close();
});

test('prioritisation: a scenario link reproduces the scenario; reset returns to the baseline', async () => {
  const p = cases.prioritise;
  for (const [n, c] of expected.prioritise.cases.entries()) {
    const page = await openPage(context, `${server.url}${p.page}#${c.hash}`);
    await ready(page, 'prioritise');
    await settle(page);
    const v = c.view;
    const selected = await page.$$eval('.vmo-ranking tr.vmo-selected', (rows) => rows.map((r) => r.dataset.id).sort());
    assert.deepEqual(selected, v.selection ? v.selection.chosen : []);
    assert.equal(await text(page, '[data-out="selection.value"]'), v.selection ? v.selection.value_text : '—');
    const order = await page.$$eval('.vmo-ranking tbody tr', (rows) => rows.map((r) => r.dataset.id));
    assert.deepEqual(order, v.ranking.map((r) => r.id));
    assert.equal(new URL(page.url()).hash, `#${v.hash}`);
    const warnings = await page.$$eval('.vmo-warnings li', (l) => l.map((x) => x.textContent));
    assert.deepEqual(warnings, [...v.warnings, ...v.errors.filter((e) => !e.field.startsWith('weight:') && e.field !== 'budget').map((e) => e.message)]);
    assert.ok(await page.$('[data-chart="frontier"] svg'));
    await page.locator('[data-vmo-widget="prioritise"]').screenshot({ path: join(screens, `prioritise-${n + 1}.png`) });
    if (n === 0) {
      await page.click('.vmo-prioritise .vmo-button');
      await settle(page);
      const d = expected.prioritise.default;
      assert.equal(new URL(page.url()).hash, `#${d.hash}`);
      assert.equal(await text(page, '[data-out="selection.value"]'), d.selection.value_text);
      // Bad budget: inline message, the ranking stays.
      await page.fill('#vmo-pr-budget', 'lots');
      await settle(page);
      assert.match(await text(page, '#vmo-pr-budget-err'), /not a number/);
      assert.equal(await page.getAttribute('#vmo-pr-budget', 'aria-invalid'), 'true');
      await page.fill('#vmo-pr-budget', '90');
      await settle(page);
      assert.equal(await page.getAttribute('#vmo-pr-budget', 'aria-invalid'), null);
    }
    await noProblems(page);
    await page.close();
  }
});

test('prioritisation: after Pin or Exclude the keyboard stays on the box used', async () => {
  const page = await openPage(context, `${server.url}${cases.prioritise.page}`);
  await ready(page, 'prioritise');
  await settle(page);
  for (const act of ['pin', 'ex']) {
    const box = page.locator(`.vmo-ranking tbody input[data-act="${act}"]`).first();
    const id = await box.evaluate((b) => b.closest('tr').dataset.id);
    await box.focus();
    await page.keyboard.press('Space');
    await settle(page);
    const focused = await page.evaluate(() => {
      const e = document.activeElement;
      return { act: e?.dataset?.act, id: e?.closest('tr')?.dataset?.id, checked: e?.checked };
    });
    assert.deepEqual(focused, { act, id, checked: true }, `focus after ${act}`);
    await page.keyboard.press('Space');
    await settle(page);
    assert.equal(await page.evaluate(() => document.activeElement?.dataset?.act), act, `focus after un-${act}`);
  }
  await noProblems(page);
  await page.close();
});

test('explorer: one list, enhanced in place', async () => {
  const page = await openPage(context, server.url + cases.explore.page);
  await ready(page, 'explore');
  // With the widget working, the static table and its no-JavaScript text are out of view.
  assert.equal(await page.isVisible('[data-vmo-replaced-by="explore"]'), false);
  assert.equal(await page.isVisible('[data-vmo-widget="explore"] .vmo-fallback'), false);
  assert.equal(await page.locator('main table:visible').count(), 1, 'one visible list');
  await noProblems(page);
  await page.close();
  const bare = await openPage(context, server.url + cases.explore.page, { javaScript: false });
  assert.equal(await bare.isVisible('[data-vmo-replaced-by="explore"] table'), true);
  assert.match(await bare.textContent('[data-vmo-widget="explore"] .vmo-fallback'), /served over HTTP|serve the folder over HTTP/);
  await bare.close();
});

test('explorer: filter and sort', async () => {
  const e = cases.explore;
  const page = await openPage(context, server.url + e.page);
  await ready(page, 'explore');
  // The widgets read the inputs, not the export for people with its computed metrics.
  assert.ok(page.requested.some((p) => p.endsWith('/data/inputs.json')), page.requested.join(' '));
  assert.ok(!page.requested.some((p) => p.endsWith('/data/portfolio.json')), page.requested.join(' '));
  for (const [n, c] of expected.explore.entries()) {
    const q = c.query;
    await page.fill('#vmo-ex-text', q.text ?? '');
    for (const f of ['stage', 'value_stream', 'objective', 'owner']) await page.selectOption(`#vmo-ex-${f}`, q[f] ?? '');
    await page.selectOption('#vmo-ex-sort', q.sort ?? 'title');
    await page.setChecked('#vmo-ex-desc', Boolean(q.desc));
    await settle(page);
    const ids = await page.$$eval('.vmo-results tbody tr', (rows) => rows.map((r) => r.dataset.id));
    assert.deepEqual(ids, c.view.rows.map((r) => r.id), `query ${n + 1}`);
    assert.equal(await text(page, '[data-out="count"]'), `${c.view.count} of ${c.view.total} initiatives`);
    const href = await page.$eval('.vmo-results tbody a', (a) => a.href);
    assert.equal(href, new URL(c.view.rows[0].url, server.url).href);
    await page.locator('[data-vmo-widget="explore"]').screenshot({ path: join(screens, `explore-${n + 1}.png`) });
    // The query is in the URL: opening the link shows the same results with the same inputs.
    const link = page.url();
    assert.ok(new URL(link).hash || !Object.values(q).some(Boolean), `query ${n + 1} is in the URL`);
    const again = await openPage(context, link);
    await ready(again, 'explore');
    await settle(again);
    assert.deepEqual(await again.$$eval('.vmo-results tbody tr', (rows) => rows.map((r) => r.dataset.id)), ids, `link of query ${n + 1}`);
    assert.equal(await again.inputValue('#vmo-ex-text'), q.text ?? '');
    assert.equal(await again.inputValue('#vmo-ex-sort'), q.sort ?? 'title');
    assert.equal(await again.isChecked('#vmo-ex-desc'), Boolean(q.desc));
    await noProblems(again);
    await again.close();
  }
  await noProblems(page);
  await page.close();
});

test('without JavaScript every widget page is complete; a wasm failure is explained', async () => {
  for (const path of [cases.whatif.page, cases.prioritise.page, cases.explore.page]) {
    const page = await openPage(context, server.url + path, { javaScript: false });
    assert.ok(await page.$('main table'), `${path} has its static table`);
    assert.equal(await page.$('.vmo-form'), null);
    await page.close();
  }
  const page = await context.newPage();
  await page.route('**/*.wasm', (r) => r.abort());
  await page.goto(server.url + cases.whatif.page);
  await page.waitForSelector('[data-vmo-widget][data-vmo-state="failed"]');
  assert.match(await text(page, '[data-vmo-widget] .vmo-status'), /could not load.*complete without it/);
  await page.locator('[data-vmo-widget]').screenshot({ path: join(screens, 'wasm-failed.png') });
  await page.close();
});

test('value vs effort: finding an initiative on the chart rings and names it', async () => {
  const page = await openPage(context, `${server.url}index.html`);
  const card = 'section[aria-labelledby="h-vve"]';
  await page.waitForSelector(`${card} [data-chart-find]:not([hidden])`);
  // Independently of the chart's marks: the names in the chart's data table.
  const names = await page.$$eval(`${card} figure table tbody tr`, (rows) => rows.map((r) => r.cells[0].textContent.trim()));
  assert.ok(names.length > 10, `${names.length} rows in the data table`);
  const want = names.filter((n) => n.toLowerCase().includes('motor')).sort();
  assert.ok(want.length >= 1);
  await page.fill(`${card} [data-chart-find] input`, 'Motor');
  await settle(page);
  const hits = await page.$$eval(`${card} svg g.vmo-find-hit > title`, (ts) => ts.map((t) => t.textContent));
  assert.equal(hits.length, want.length, `${hits} vs ${want}`);
  const labels = (await page.$$eval(`${card} svg .vmo-find-label`, (ls) => ls.map((l) => l.textContent))).sort();
  assert.deepEqual(labels, want);
  assert.equal(await page.textContent(`${card} [data-chart-find] output`), `${want.length} on the chart, ringed.`);
  assert.equal(await page.evaluate(() => document.activeElement?.name), 'find', 'focus stays in the box');
  const dimmed = await page.$$eval(`${card} svg g.vmo-find-dim`, (gs) => gs.length);
  assert.ok(dimmed >= names.length - want.length, `${dimmed} others faded`);
  await page.fill(`${card} [data-chart-find] input`, 'no such initiative');
  await settle(page);
  assert.equal(await page.textContent(`${card} [data-chart-find] output`), 'Not on this chart.');
  assert.equal(await page.$$eval(`${card} svg .vmo-find-label`, (ls) => ls.length), 0);
  await page.fill(`${card} [data-chart-find] input`, '');
  await settle(page);
  assert.equal(await page.$$eval(`${card} svg g.vmo-find-dim, ${card} svg g.vmo-find-hit`, (gs) => gs.length), 0);
  await noProblems(page);
  await page.close();
});
