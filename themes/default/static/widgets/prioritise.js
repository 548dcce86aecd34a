// Prioritisation scenario: <section data-vmo-widget="prioritise">. The whole scenario
// lives in the URL fragment (#model=…&budget=…&w.…=…&pin=…&ex=…): a link reproduces it.
import { h, guard, markInvalid, siteRoot } from './widgets.js';

export function mount(root, api) {
  let form = location.hash.includes('model=')
    ? api.call('prioritise_from_hash', location.hash)
    : api.call('prioritise_default', '');
  const uid = 'vmo-pr';
  const model = h('select', { id: `${uid}-model`, name: 'model' });
  const value = h('select', { id: `${uid}-value`, name: 'value' },
    h('option', { value: 'npv', text: 'NPV' }), h('option', { value: 'score', text: 'Model score' }));
  const budget = h('input', { id: `${uid}-budget`, name: 'budget', type: 'text', inputmode: 'decimal',
    autocomplete: 'off', 'aria-describedby': `${uid}-budget-hint ${uid}-budget-err` });
  const budgetLabel = h('label', { for: `${uid}-budget`, text: 'Budget' });
  const budgetHint = h('span', { class: 'vmo-hint', id: `${uid}-budget-hint` });
  const budgetErr = h('span', { class: 'vmo-field-error', id: `${uid}-budget-err`, 'aria-live': 'polite' });
  const weights = h('fieldset', { class: 'vmo-weights' });
  const reset = h('button', { type: 'button', class: 'vmo-button', text: 'Reset to the baseline' });
  const link = h('a', { class: 'vmo-link', 'data-out': 'link', text: 'Link to this scenario' });
  const controls = h('form', { class: 'vmo-form', 'aria-label': 'Prioritisation scenario' },
    h('div', { class: 'vmo-fields' },
      h('div', { class: 'vmo-field' }, h('label', { for: model.id, text: 'Model' }), model),
      h('div', { class: 'vmo-field' }, h('label', { for: value.id, text: 'Value to maximise' }), value),
      h('div', { class: 'vmo-field' }, budgetLabel, budget,
        budgetHint, budgetErr)),
    weights, h('div', { class: 'vmo-actions' }, reset, link));
  controls.addEventListener('submit', (e) => e.preventDefault());
  const summary = h('div', { class: 'vmo-summary', 'aria-live': 'polite' });
  // On paper the controls are not printed: this sentence states the scenario instead.
  const printed = h('p', { class: 'vmo-print-only', 'data-out': 'scenario' });
  const warnings = h('ul', { class: 'vmo-warnings', 'aria-live': 'polite' });
  const tbody = h('tbody');
  const table = h('table', { class: 'vmo-ranking' },
    h('caption', { text: 'Live ranking; ✓ marks the exact value-maximising selection under the budget' }),
    h('thead', {}, h('tr', {}, ['Rank', 'Initiative', 'Stage', 'Score', 'Cost', 'NPV', 'Selected', 'Funded by rank', 'Pin', 'Exclude']
      .map((t, n) => h('th', { scope: 'col', class: n >= 3 && n <= 5 ? 'num' : null, text: t })))),
    tbody);
  const frontier = h('figure', { class: 'vmo-chart', 'data-chart': 'frontier' },
    h('figcaption', { text: 'Efficient frontier: the best value reachable at each total budget' }),
    h('p', { class: 'small muted', text: 'Costs are summed over the envelope\'s periods here (one total rather than per period); the selection above must also fit each period\'s budget, so a level can show more than the selection at the same total.' }),
    h('div'));
  root.append(h('div', { class: 'vmo-prioritise' }, controls, printed, summary, warnings,
    h('div', { class: 'table-scroll' }, table), frontier));

  const weightInputs = {};
  const render = (view) => {
    form = view.form;
    model.replaceChildren(...view.models.map((m) => h('option', { value: m.id, text: m.name })));
    model.value = form.model;
    value.value = form.value;
    if (document.activeElement !== budget) budget.value = form.budget;
    const percent = view.budget_mode === 'percent';
    budgetLabel.textContent = percent ? 'Budget (% of the envelope)' : 'Budget';
    budgetHint.textContent = percent
      ? '100 = the envelope as set, 80 = cut by 20%; committed work stays funded'
      : 'total planned cost allowed; 12M, 350k or 12000000';
    const err = (f) => view.errors.find((e) => e.field === f)?.message ?? '';
    budgetErr.textContent = err('budget');
    markInvalid(budget, Boolean(err('budget')));
    // Weight inputs are rebuilt only when the set of criteria changes (keeps focus).
    const key = view.weights.map((w) => w.criterion).join(',');
    if (weights.dataset.key !== key) {
      weights.dataset.key = key;
      for (const k of Object.keys(weightInputs)) delete weightInputs[k];
      weights.replaceChildren(h('legend', { text: view.weights.length ? 'Criteria weights' : 'This model has no criteria weights' }),
        ...view.weights.map((w) => {
          const input = h('input', { id: `${uid}-w-${w.criterion}`, name: `weight:${w.criterion}`, type: 'text',
            inputmode: 'decimal', autocomplete: 'off', 'data-criterion': w.criterion, 'aria-describedby': `${uid}-w-${w.criterion}-err` });
          const e = h('span', { class: 'vmo-field-error', id: `${uid}-w-${w.criterion}-err`, 'aria-live': 'polite' });
          weightInputs[w.criterion] = [input, e];
          return h('div', { class: 'vmo-field' }, h('label', { for: input.id, text: `${w.name} (default ${w.default})` }), input, e);
        }));
    }
    for (const w of view.weights) {
      const [input, e] = weightInputs[w.criterion];
      if (document.activeElement !== input) input.value = w.weight;
      e.textContent = err(`weight:${w.criterion}`);
      markInvalid(input, Boolean(e.textContent));
    }
    const s = view.selection;
    summary.replaceChildren(
      h('p', {}, 'Exact selection: ', h('strong', { 'data-out': 'selection.count', text: s ? String(s.count) : '—' }),
        ' initiatives, ', view.value_label, ' ', h('strong', { 'data-out': 'selection.value', text: s ? s.value_text : '—' }),
        ' for ', h('span', { 'data-out': 'selection.cost', text: s ? s.cost_text : '—' }),
        ' of a budget of ', h('span', { 'data-out': 'budget', text: view.budget_text }),
        s && !s.exact ? ` (${s.optimality})` : ''),
      h('p', { class: 'vmo-hint' }, 'Funding down the ranking until the budget runs out would reach ',
        h('span', { 'data-out': 'rank_funded.value', text: view.rank_funded_value_text }), '.'));
    warnings.replaceChildren(...[...view.warnings, ...view.errors.filter((e) => !e.field.startsWith('weight:') && e.field !== 'budget').map((e) => e.message)]
      .map((w) => h('li', { text: w })));
    tbody.replaceChildren(...view.ranking.map((r) => h('tr', { 'data-id': r.id, class: r.selected ? 'vmo-selected' : null },
      h('td', { class: 'num', text: r.rank ?? '—' }),
      h('th', { scope: 'row' }, h('a', { href: new URL(r.url, siteRoot).href, text: r.title })),
      h('td', { text: r.stage_name }),
      h('td', { class: 'num', text: r.score_text }),
      h('td', { class: 'num', text: r.cost_text }),
      h('td', { class: 'num', text: r.npv_text }),
      h('td', { 'data-out': 'selected', text: r.selected ? '✓' : '' }),
      h('td', { text: r.rank_funded ? '✓' : '' }),
      h('td', {}, r.committed && !r.pinned
        ? h('span', { class: 'vmo-hint', title: 'Committed or live: funded unless excluded', text: 'funded' })
        : h('input', { type: 'checkbox', 'data-act': 'pin', 'aria-label': `Pin ${r.title}`, checked: r.pinned })),
      h('td', {}, h('input', { type: 'checkbox', 'data-act': 'ex', 'aria-label': `Exclude ${r.title}`, checked: r.excluded })))));
    const names = (pick) => view.ranking.filter(pick).map((r) => r.title).join(', ') || 'none';
    printed.textContent = `Scenario: ${view.models.find((m) => m.id === form.model)?.name ?? form.model}; `
      + `${value.selectedOptions[0]?.textContent ?? form.value} maximised; budget ${view.budget_text}`
      + (view.weights.length ? `; weights ${view.weights.map((w) => `${w.name} ${w.weight}`).join(', ')}` : '')
      + `; pinned: ${names((r) => r.pinned)}; excluded: ${names((r) => r.excluded)}. Link: ${location.href.split('#')[0]}#${view.hash}`;
    frontier.querySelector('div').innerHTML = view.frontier_chart;
    link.href = `#${view.hash}`;
    if (location.hash.slice(1) !== view.hash) history.replaceState(null, '', `#${view.hash}`);
    root.dataset.vmoErrors = String(view.errors.length);
  };
  const run = () => guard(root, () => render(api.call('prioritise', JSON.stringify(form))));
  const read = () => {
    form.model = model.value;
    form.value = value.value;
    form.budget = budget.value;
    form.weights = {};
    for (const [c, [input]] of Object.entries(weightInputs)) form.weights[c] = input.value;
  };
  let pending = 0;
  controls.addEventListener('input', () => {
    read();
    cancelAnimationFrame(pending);
    pending = requestAnimationFrame(run);
  });
  model.addEventListener('change', () => {
    form = { ...api.call('prioritise_default', model.value), budget: budget.value, pinned: form.pinned, excluded: form.excluded };
    run();
  });
  tbody.addEventListener('change', (e) => {
    const box = e.target.closest('input[data-act]');
    if (!box) return;
    const id = box.closest('tr').dataset.id;
    const list = box.dataset.act === 'pin' ? 'pinned' : 'excluded';
    form[list] = box.checked ? [...form[list], id] : form[list].filter((x) => x !== id);
    run();
    // The rows are drawn anew: keep the keyboard on the box the reader used (its row
    // may have moved in the ranking).
    const again = [...tbody.querySelectorAll(`input[data-act="${box.dataset.act}"]`)]
      .find((x) => x.closest('tr').dataset.id === id);
    again?.focus();
  });
  reset.addEventListener('click', () => {
    form = api.call('prioritise_default', '');
    weights.dataset.key = '';
    run();
  });
  window.addEventListener('hashchange', () => {
    if (location.hash.includes('model=')) {
      form = api.call('prioritise_from_hash', location.hash);
      run();
    }
  });
  run();
}
