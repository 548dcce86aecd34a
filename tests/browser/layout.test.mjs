// What a person checks with their eyes, asserted on one page of every type of the
// sample site, at 1,280 px and at 390 px (a phone):
//
// 1. the page does not scroll sideways (a wide chart or table scrolls inside its own
//    box, never the page);
// 2. no chart text is drawn under 11 px (charts show at their own size; a narrow screen
//    scrolls them rather than shrinking them);
// 3. no chart label is cut with an ellipsis without its whole text in a hover title;
// 4. no dropdown is narrower than its longest option (a cut "Investment Committee scor");
// 5. after each widget action the keyboard focus is on the control that was used.
//
// Build: the release binary into a temporary folder, or SITE_DIR_SAMPLE (a built site).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve } from './server.mjs';
import { launch } from './browser.mjs';
import { builtSite, htmlPages } from './sites.mjs';

const PAGE_TYPES = {
  dashboard: /^index\.html$/,
  'initiative list': /^initiatives\/index\.html$/,
  initiative: /^initiatives\/[^/]+\/index\.html$/,
  'value stream list': /^value-streams\/index\.html$/,
  'value stream': /^value-streams\/[^/]+\/index\.html$/,
  objective: /^objectives\/[^/]+\/index\.html$/,
  prioritisation: /^prioritisation\/index\.html$/,
  roadmap: /^roadmap\/index\.html$/,
  dependencies: /^dependencies\/index\.html$/,
  risks: /^risks\/index\.html$/,
  benefits: /^benefits\/index\.html$/,
  report: /^reports\/[^/]+\/index\.html$/,
  methods: /^methods\/index\.html$/,
  whatif: /^whatif\/index\.html$/,
};
const WIDTHS = [1280, 390];
const MIN_CHART_PX = 11;

let site, server, context, pages;

before(async () => {
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

async function open(path, width) {
  const page = await context.newPage();
  await page.setViewportSize({ width, height: 900 });
  await page.goto(server.url + path, { waitUntil: 'load' });
  if (await page.$('[data-vmo-widget]')) {
    await page.waitForFunction(() => [...document.querySelectorAll('[data-vmo-widget]')]
      .every((w) => w.dataset.vmoState === 'ready'), null, { timeout: 20000 });
  }
  return page;
}

/** Everything a person would see wrong on the page (runs in the page). */
function layoutProblems({ minPx }) {
  const out = [];
  const doc = document.documentElement;
  if (doc.scrollWidth > window.innerWidth + 1) {
    // Name the widest element that sticks out, to find the culprit.
    let worst = null;
    for (const e of document.body.querySelectorAll('*')) {
      const r = e.getBoundingClientRect();
      if (r.right > window.innerWidth + 1 && (!worst || r.width < worst.r.width)) {
        // The innermost overflowing element that is not inside a scrolling box.
        let p = e.parentElement, scrolls = false;
        while (p && p !== document.body) {
          const s = getComputedStyle(p).overflowX;
          if (s === 'auto' || s === 'scroll' || s === 'hidden') { scrolls = true; break; }
          p = p.parentElement;
        }
        if (!scrolls) worst = { e, r };
      }
    }
    const name = worst ? `${worst.e.tagName.toLowerCase()}${worst.e.className ? `.${String(worst.e.className).split(' ')[0]}` : ''}` : '?';
    out.push(`the page scrolls sideways: ${doc.scrollWidth} px in a ${window.innerWidth} px window (${name})`);
  }
  for (const svg of document.querySelectorAll('svg.vmo-chart')) {
    const box = svg.getBoundingClientRect();
    if (box.width === 0) continue; // not shown (a closed details, a hidden fallback)
    const vb = svg.viewBox.baseVal;
    const scale = vb && vb.width ? box.width / vb.width : 1;
    const name = svg.querySelector('title')?.textContent ?? svg.className.baseVal;
    for (const t of svg.querySelectorAll('text')) {
      const px = parseFloat(t.getAttribute('font-size') ?? getComputedStyle(t).fontSize) * scale;
      if (px < minPx - 0.05) {
        out.push(`chart "${name}": "${t.textContent.trim()}" is drawn at ${px.toFixed(1)} px`);
        break;
      }
    }
    for (const t of svg.querySelectorAll('text')) {
      const shown = t.textContent.trim();
      const at = shown.indexOf('\u2026');
      if (at < 0) continue;
      const title = t.closest('g')?.querySelector(':scope > title')?.textContent ?? '';
      if (!(title.startsWith(shown.slice(0, at)) && title.length > at + 1)) {
        out.push(`chart "${name}": "${shown}" is cut and has no title with its whole text`);
      }
    }
  }
  const ctx = document.createElement('canvas').getContext('2d');
  for (const sel of document.querySelectorAll('select')) {
    if (sel.getBoundingClientRect().width === 0) continue;
    // A dropdown as wide as its whole form (on a phone) cannot be given more room; its
    // open list shows each option whole.
    const form = sel.closest('.vmo-fields, form, section, main');
    if (form && sel.offsetWidth >= form.clientWidth - 2) continue;
    const cs = getComputedStyle(sel);
    ctx.font = `${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
    // Room for the text: the box less its padding, border and the arrow (about 1.5em).
    const room = sel.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight)
      - 1.5 * parseFloat(cs.fontSize);
    for (const o of sel.options) {
      const w = ctx.measureText(o.textContent.trim()).width;
      if (w > room + 0.5) {
        out.push(`dropdown ${sel.name || sel.id || sel.getAttribute('aria-label') || ''}: "${o.textContent.trim()}" needs ${w.toFixed(0)} px, the box has ${room.toFixed(0)}`);
      }
    }
  }
  return out;
}

test('no page scrolls sideways, no chart text under 11 px, no cut label without its title, no cut dropdown', async () => {
  const problems = [];
  let checked = 0, charts = 0;
  for (const [type, pattern] of Object.entries(PAGE_TYPES)) {
    const path = pages.find((p) => pattern.test(p));
    assert.ok(path, `no ${type} page in the site`);
    for (const width of WIDTHS) {
      const page = await open(path, width);
      charts += await page.$$eval('svg.vmo-chart', (s) => s.length);
      for (const p of await page.evaluate(layoutProblems, { minPx: MIN_CHART_PX })) problems.push(`${path} at ${width} px: ${p}`);
      checked += 1;
      await page.close();
    }
  }
  console.log(`layout: ${checked} page views, ${charts} charts`);
  assert.ok(charts > 20, `${charts} charts looked at`);
  assert.deepEqual(problems, []);
});

/** The active element, described by what identifies a control in the widgets. */
const focused = (page) => page.evaluate(() => {
  const e = document.activeElement;
  if (!e || e === document.body) return 'body';
  return e.dataset.act ? `${e.dataset.act}:${e.closest('tr')?.dataset?.id}` : (e.name || e.id || e.textContent.trim());
});
const settle = (page) => page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => setTimeout(ok, 0))));

test('after each widget action the keyboard stays on the control used', async () => {
  const lost = [];
  let actions = 0;
  const check = async (page, what, action) => {
    const el = page.locator(what).first();
    await el.focus();
    const before = await focused(page);
    if (before === 'body') { lost.push(`${page.url()} ${what}: could not be focused`); return; }
    await action(el);
    await settle(page);
    const after = await focused(page);
    actions += 1;
    if (after !== before) lost.push(`${page.url()} ${what}: focus went from ${before} to ${after}`);
  };
  // What-if: a lever typed into, the reset button.
  let page = await open(pages.find((p) => PAGE_TYPES.whatif.test(p)), 1280);
  const lever = 'form.vmo-form input[type="text"]';
  await check(page, lever, async (el) => { await el.fill(''); await el.type('1.3'); });
  await check(page, 'form.vmo-form select', async (el) => {
    const values = await el.evaluate((s) => [...s.options].map((o) => o.value));
    await el.selectOption(values[values.length - 1]);
  });
  await check(page, 'form.vmo-form button', (el) => el.press('Enter'));
  await page.close();
  // Prioritisation: the model, the budget, a weight, Pin and Exclude, reset.
  page = await open('prioritisation/index.html', 1280);
  await check(page, 'form.vmo-form select', async (el) => {
    const values = await el.evaluate((s) => [...s.options].map((o) => o.value));
    await el.selectOption(values[values.length - 1]);
  });
  await check(page, 'form.vmo-form input[type="text"]', async (el) => { await el.fill(''); await el.type('80'); });
  await check(page, '.vmo-ranking tbody input[data-act="pin"]', (el) => el.press('Space'));
  await check(page, '.vmo-ranking tbody input[data-act="ex"]', (el) => el.press('Space'));
  await check(page, 'form.vmo-form button', (el) => el.press('Enter'));
  await page.close();
  // Explorer: the search box, a filter, a sort.
  page = await open('initiatives/index.html', 1280);
  await check(page, 'form.vmo-form input[type="search"]', async (el) => { await el.type('claims'); });
  await check(page, 'form.vmo-form select', async (el) => {
    const values = await el.evaluate((s) => [...s.options].map((o) => o.value));
    await el.selectOption(values[1]);
  });
  const sort = page.locator('.vmo-results thead button');
  if (await sort.count()) await check(page, '.vmo-results thead button', (el) => el.press('Enter'));
  await page.close();
  console.log(`focus: ${actions} widget actions checked`);
  assert.ok(actions >= 10, `${actions} actions`);
  assert.deepEqual(lost, []);
});
