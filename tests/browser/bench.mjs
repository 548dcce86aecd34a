// In-browser benchmark: re-rank + exact selection (+ frontier) over 1,000 initiatives,
// and a what-if update with 10,000 Monte Carlo trials. Prints the figures.
// Needs out/bench-portfolio.json (written by the browser tests' `expected` example), or
// BENCH_PORTFOLIO naming another portfolio file.
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { serve } from './server.mjs';
import { launch } from './browser.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const site = resolve(process.env.SITE_DIR ?? join(here, '../../public'));
// BENCH_PORTFOLIO: another portfolio in the export's format (a large site's data/inputs.json).
const portfolio = resolve(process.env.BENCH_PORTFOLIO ?? join(here, 'out/bench-portfolio.json'));
const server = await serve(site, { '/__bench/portfolio.json': portfolio });
const context = await launch();
const page = await context.newPage();
await page.goto(`${server.url}data/index.html`);
const figures = await page.evaluate(async () => {
  const glue = await import('/assets/widgets/vmo_widgets.js');
  await glue.default();
  const text = await (await fetch('/__bench/portfolio.json')).text();
  const t0 = performance.now();
  const w = new glue.Widgets(text);
  const load = performance.now() - t0;
  const time = (f, n) => { f(); const s = performance.now(); for (let i = 0; i < n; i++) f(); return (performance.now() - s) / n; };
  const base = JSON.parse(w.prioritise_default(''));
  const ids = JSON.parse(w.initiatives()).map(([id]) => id);
  let k = 0;
  const prioritise = time(() => {
    k++;
    w.prioritise(JSON.stringify({ ...base, budget: String(100e6 + k * 1e6), pinned: [ids[k % ids.length]] }));
  }, 10);
  // Re-rank alone (weights change, no selection): the weighted model when there is one.
  const weighted = JSON.parse(w.prioritise(JSON.stringify(base))).models.find((m) => m.kind === 'weighted');
  const wform = weighted ? JSON.parse(w.prioritise_default(weighted.id)) : base;
  const criteria = JSON.parse(w.prioritise(JSON.stringify(wform))).weights.map((x) => x.criterion);
  const ranked = JSON.parse(w.prioritise_rank(JSON.stringify(wform))).length;
  const rerank = time(() => {
    k++;
    const weights = Object.fromEntries(criteria.map((c, n) => [c, String(1 + ((k + n) % 9))]));
    w.prioritise_rank(JSON.stringify({ ...wform, weights }));
  }, 20);
  const form = JSON.parse(w.whatif_baseline(ids[0])).form;
  const whatif = time(() => { k++; w.whatif(JSON.stringify({ ...form, cost_overrun: String(k % 50), trials: '10000' })); }, 10);
  const check = JSON.parse(w.whatif(JSON.stringify({ ...form, trials: '10000' })));
  const mcTrials = check.monte_carlo?.Ok?.trials ?? `not run: ${JSON.stringify(check.monte_carlo ?? check.errors)}`;
  const whatifNoMc = time(() => { k++; w.whatif(JSON.stringify({ ...form, cost_overrun: String(k % 50), trials: '100' })); }, 10);
  const explore = time(() => { k++; w.explore(JSON.stringify({ text: 'claims', sort: 'npv', desc: k % 2 === 0 })); }, 10);
  return { mcTrials, initiatives: ids.length, load, rerank, ranked, rerankModel: weighted?.name ?? base.model, prioritise, whatif, whatifNoMc, explore };
});
const wasm = readFileSync(join(site, 'assets/widgets/vmo_widgets_bg.wasm'));
const js = ['vmo_widgets.js', 'widgets.js', 'whatif.js', 'prioritise.js', 'explore.js', 'widgets.css']
  .map((f) => readFileSync(join(site, 'assets/widgets', f)));
const gz = (b) => gzipSync(b, { level: 9 }).length;
console.log(`portfolio of ${figures.initiatives} initiatives, Chromium headless:`);
console.log(`  load + analyse:                          ${figures.load.toFixed(1)} ms (once per page)`);
console.log(`  re-rank ${figures.ranked} candidates (${figures.rerankModel}, new weights): ${figures.rerank.toFixed(2)} ms`);
console.log(`  prioritise (rank + exact select + 13-level frontier + chart): ${figures.prioritise.toFixed(1)} ms`);
console.log(`  what-if update (business case, 2 charts, ${figures.mcTrials} Monte Carlo trials, histogram): ${figures.whatif.toFixed(1)} ms`);
console.log(`  what-if update with 100 trials:          ${figures.whatifNoMc.toFixed(1)} ms`);
console.log(`  explore (search + sort):                  ${figures.explore.toFixed(1)} ms`);
console.log(`bundle: wasm ${wasm.length} B (${gz(wasm)} B gzipped); scripts+css ${js.reduce((a, b) => a + b.length, 0)} B (${js.reduce((a, b) => a + gz(b), 0)} B gzipped)`);
await context.close();
await server.close();
