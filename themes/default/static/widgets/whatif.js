// What-if business case: <section data-vmo-widget="whatif" data-initiative="ID">.
// Without data-initiative (the standalone page) a picker chooses the initiative. The
// scenario lives in the URL fragment (#initiative=ID on the standalone page, then each
// lever that differs from the plan: #cost_overrun=30&delay=2…), so a link reproduces
// it. Every figure comes from Rust.
import { h, guard, markInvalid, status } from './widgets.js';

const FIELDS = [
  ['cost_overrun', 'Cost overrun', '%', 'e.g. 30 for costs 30% above plan'],
  ['benefit_realisation', 'Benefits realised', '% of plan', '100 = as planned'],
  ['delay', 'Benefits delayed by', 'PERIODS', 'whole periods; costs stay where planned'],
  ['discount_rate', 'Discount rate', '% a year', 'annual effective'],
  ['horizon', 'Horizon', 'PERIODS', 'from the plan’s start; blank = the whole plan'],
  ['trials', 'Monte Carlo trials', '', '100 to 200,000'],
];
const CONVENTIONS = [
  ['end-of-period', 'End of period (spreadsheet NPV)'],
  ['mid-period', 'Mid period'],
  ['start-of-period', 'Start of period'],
];
const ROWS = [
  ['npv_text', 'NPV'], ['irr_text', 'IRR'], ['roi_text', 'ROI (undiscounted)'],
  ['payback_text', 'Payback'], ['discounted_payback_text', 'Discounted payback'],
  ['bcr_text', 'Benefit-cost ratio'], ['total_cost_text', 'Total cost'],
  ['total_benefit_text', 'Total benefit'],
];

export function mount(root, api) {
  const fixed = root.dataset.initiative;
  const body = h('div', { class: 'vmo-whatif' });
  root.append(body);
  if (fixed) return start(root, body, api, fixed);
  const list = api.call('initiatives');
  const fromHash = new URLSearchParams(location.hash.slice(1)).get('initiative');
  const picker = h('select', { id: 'vmo-wi-pick', name: 'initiative' },
    list.map(([id, title]) => h('option', { value: id, text: title })));
  // Without a named initiative: the biggest open bet with uncertainty to simulate.
  const first = list.some(([id]) => id === fromHash) ? fromHash : api.call('whatif_default');
  if (first) picker.value = first;
  const pick = h('div', { class: 'vmo-field' }, h('label', { for: 'vmo-wi-pick', text: 'Initiative' }), picker);
  body.before(pick);
  const show = (levers) => {
    body.replaceChildren();
    guard(root, () => start(root, body, api, picker.value, levers, true));
  };
  picker.addEventListener('change', () => show(new URLSearchParams()));
  show(new URLSearchParams(location.hash.slice(1)));
}

/** A label inside a sentence: its first letter in lower case (`Cost overrun` -> `cost overrun`). */
const lower = (t) => t.charAt(0).toLowerCase() + t.slice(1);

function start(root, body, api, id, levers = new URLSearchParams(location.hash.slice(1)), standalone = false) {
  const base = api.call('whatif_baseline', id);
  const uid = `vmo-wi-${id}`;
  const period = base.period_word;
  const inputs = {};
  const errors = {};
  const fields = FIELDS.map(([name, label, unit, hint]) => {
    const u = unit === 'PERIODS' ? `${period}s` : unit;
    const input = h('input', {
      id: `${uid}-${name}`, name, type: 'text', inputmode: 'decimal', autocomplete: 'off',
      value: levers.get(name) ?? base.form[name], 'aria-describedby': `${uid}-${name}-hint ${uid}-${name}-err`,
      placeholder: name === 'horizon' ? `${base.plan_periods} ${period}s` : null,
    });
    inputs[name] = input;
    errors[name] = h('span', { class: 'vmo-field-error', id: `${uid}-${name}-err`, 'aria-live': 'polite' });
    return h('div', { class: 'vmo-field' },
      h('label', { for: input.id, text: u ? `${label} (${u})` : label }), input,
      h('span', { class: 'vmo-hint', id: `${uid}-${name}-hint`, text: hint }), errors[name]);
  });
  const conv = h('select', { id: `${uid}-discounting`, name: 'discounting' },
    CONVENTIONS.map(([v, t]) => h('option', { value: v, text: t })));
  conv.value = CONVENTIONS.some(([v]) => v === levers.get('discounting')) ? levers.get('discounting') : base.form.discounting;
  inputs.discounting = conv;
  errors.discounting = h('span', { class: 'vmo-field-error', 'aria-live': 'polite' });
  fields.push(h('div', { class: 'vmo-field' }, h('label', { for: conv.id, text: 'Discounting' }), conv, errors.discounting));
  const reset = h('button', { type: 'button', class: 'vmo-button', text: 'Reset to the plan' });
  const link = h('a', { class: 'vmo-link', href: '#', 'data-out': 'link', text: 'Link to this scenario' });
  const formError = h('p', { class: 'vmo-field-error', 'aria-live': 'polite' });
  // On paper the levers are not printed: this sentence states the scenario instead.
  const printed = h('p', { class: 'vmo-print-only', 'data-out': 'scenario' });
  const form = h('form', { class: 'vmo-form', 'aria-label': `What-if levers for ${base.title}` },
    h('div', { class: 'vmo-fields' }, fields), h('div', { class: 'vmo-actions' }, reset, link), formError);
  form.addEventListener('submit', (e) => e.preventDefault());

  const cell = (key) => h('td', { class: 'num', 'data-out': key });
  const table = h('table', { class: 'vmo-compare' },
    h('caption', { text: 'Baseline (the plan as on this page) and scenario, side by side' }),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col', text: 'Measure' }),
      h('th', { scope: 'col', class: 'num', text: 'Baseline' }), h('th', { scope: 'col', class: 'num', text: 'Scenario' }))),
    h('tbody', {},
      ROWS.map(([k, label]) => h('tr', {}, h('th', { scope: 'row', text: label }), cell(`baseline.${k}`), cell(`scenario.${k}`))),
      h('tr', {}, h('th', { scope: 'row', text: 'NPV change' }), h('td'), cell('scenario.npv_change_text')),
      base.percentiles.map(({ p, label }) => h('tr', {},
        h('th', { scope: 'row', text: `NPV ${label}` }),
        cell(`baseline.p${p}`), cell(`scenario.p${p}`))),
      h('tr', {}, h('th', { scope: 'row', text: 'Chance that NPV < 0' }), cell('baseline.prob_negative'), cell('scenario.prob_negative')),
      h('tr', {}, h('th', { scope: 'row', text: 'Mean simulated NPV' }), cell('baseline.mean'), cell('scenario.mean'))));
  const chart = (key, title) => h('figure', { class: 'vmo-chart', 'data-chart': key }, h('figcaption', { text: title }), h('div'));
  const charts = h('div', { class: 'vmo-charts' },
    chart('baseline.cash_flow', 'Baseline cash flow'), chart('scenario.cash_flow', 'Scenario cash flow'),
    chart('baseline.histogram', 'Baseline NPV distribution'), chart('scenario.histogram', 'Scenario NPV distribution'));
  body.append(form, printed, h('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': 'Baseline and scenario compared' }, table), charts);

  const put = (key, text) => { const c = table.querySelector(`[data-out="${key}"]`); if (c) c.textContent = text ?? '—'; };
  const svg = (key, markup) => { const d = charts.querySelector(`[data-chart="${key}"] > div`); if (d) d.innerHTML = markup ?? ''; };
  const showCase = (side, c, mc) => {
    for (const [k] of ROWS) put(`${side}.${k}`, c[k]);
    svg(`${side}.cash_flow`, c.chart);
    if (mc && mc.Ok) {
      for (const q of mc.Ok.percentiles) put(`${side}.p${q.p}`, q.text);
      put(`${side}.prob_negative`, mc.Ok.prob_negative_text);
      put(`${side}.mean`, mc.Ok.mean_text);
      svg(`${side}.histogram`, mc.Ok.chart);
    } else if (mc) {
      for (const { p } of base.percentiles) put(`${side}.p${p}`, 'n/a');
      put(`${side}.prob_negative`, 'n/a');
      put(`${side}.mean`, 'n/a');
      svg(`${side}.histogram`, '');
      status(root, `Monte Carlo: ${mc.Err}`, 'info');
    }
  };
  showCase('baseline', base.case, base.monte_carlo);

  // The fragment: the initiative on the standalone page, then the levers that differ
  // from the plan.
  const share = () => {
    const p = new URLSearchParams();
    if (standalone) p.set('initiative', base.id);
    for (const [name, el] of Object.entries(inputs)) if (el.value !== base.form[name]) p.set(name, el.value);
    const hash = p.toString();
    link.href = `#${hash}`;
    const now = new URLSearchParams(location.hash.slice(1));
    const ours = [...now.keys()].some((k) => k === 'initiative' || k in inputs);
    // A fragment that is not a scenario (a link to a section) stays as it is.
    if (location.hash.slice(1) !== hash && (hash || ours)) {
      history.replaceState(null, '', hash ? `#${hash}` : location.pathname + location.search);
    }
  };
  const update = () => guard(root, () => {
    const req = { initiative: base.id };
    for (const [name, el] of Object.entries(inputs)) req[name] = el.value;
    share();
    printed.textContent = `Scenario for ${base.title}: ` + FIELDS.map(([name, label, unit]) => {
      const v = inputs[name].value || (name === 'horizon' ? 'the whole plan' : '—');
      const u = !inputs[name].value || !unit ? '' : unit === 'PERIODS' ? ` ${period}s` : `${unit.startsWith('%') ? '' : ' '}${unit}`;
      return `${name === 'trials' ? label : lower(label)} ${v}${u}`;
    }).join(', ') + `, discounting ${lower(conv.selectedOptions[0]?.textContent ?? conv.value)}.`;
    const view = api.call('whatif', JSON.stringify(req));
    for (const [name, el] of Object.entries(errors)) {
      const err = view.errors.find((e) => e.field === name);
      el.textContent = err ? err.message : '';
      markInvalid(inputs[name], Boolean(err));
    }
    const other = view.errors.filter((e) => !(e.field in errors));
    formError.textContent = other.map((e) => e.message).join(' ');
    table.classList.toggle('vmo-stale', view.errors.length > 0);
    root.dataset.vmoErrors = String(view.errors.length);
    if (view.case) {
      showCase('scenario', view.case, view.monte_carlo);
      put('scenario.npv_change_text', view.npv_change_text);
    }
  });
  let pending = 0;
  form.addEventListener('input', () => {
    cancelAnimationFrame(pending);
    pending = requestAnimationFrame(update);
  });
  form.addEventListener('change', update);
  reset.addEventListener('click', () => {
    for (const [name, el] of Object.entries(inputs)) el.value = base.form[name];
    update();
  });
  update();
}
