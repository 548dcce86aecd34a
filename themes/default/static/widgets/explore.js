// Portfolio explorer: <section data-vmo-widget="explore">. Search, filter and sort the
// initiatives; every result links to its page. The query is kept in the URL fragment.
import { h, guard, siteRoot } from './widgets.js';

const FILTERS = [
  ['stage', 'Stage', 'stages'], ['value_stream', 'Value stream', 'value_streams'],
  ['objective', 'Objective', 'objectives'], ['owner', 'Owner', 'owners'],
];

export function mount(root, api) {
  const opts = api.call('explore_options');
  const uid = 'vmo-ex';
  const text = h('input', { id: `${uid}-text`, name: 'text', type: 'search', autocomplete: 'off',
    placeholder: 'title, owner, tag…' });
  const selects = {};
  const fields = [h('div', { class: 'vmo-field vmo-wide' }, h('label', { for: text.id, text: 'Find' }), text)];
  for (const [name, label, key] of FILTERS) {
    const s = h('select', { id: `${uid}-${name}`, name },
      h('option', { value: '', text: `Any ${label.toLowerCase()}` }),
      opts[key].map((c) => h('option', { value: c.value, text: c.label })));
    selects[name] = s;
    fields.push(h('div', { class: 'vmo-field' }, h('label', { for: s.id, text: label }), s));
  }
  const sort = h('select', { id: `${uid}-sort`, name: 'sort' }, opts.sort_keys.map((c) => h('option', { value: c.value, text: c.label })));
  const desc = h('input', { id: `${uid}-desc`, name: 'desc', type: 'checkbox' });
  fields.push(h('div', { class: 'vmo-field' }, h('label', { for: sort.id, text: 'Sort by' }), sort),
    h('div', { class: 'vmo-field vmo-check' }, desc, h('label', { for: desc.id, text: 'Highest first' })));
  const form = h('form', { class: 'vmo-form', role: 'search', 'aria-label': 'Find an initiative' }, h('div', { class: 'vmo-fields' }, fields));
  form.addEventListener('submit', (e) => e.preventDefault());
  const count = h('p', { class: 'vmo-count', role: 'status', 'aria-live': 'polite', 'data-out': 'count' });
  const metricHead = h('th', { scope: 'col', class: 'num' });
  const tbody = h('tbody');
  const table = h('table', { class: 'vmo-results' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col', text: 'Initiative' }), h('th', { scope: 'col', text: 'Stage' }),
      h('th', { scope: 'col', text: 'Value stream' }), h('th', { scope: 'col', text: 'Owner' }),
      h('th', { scope: 'col', class: 'num', text: 'NPV' }), metricHead)), tbody);
  root.append(h('div', { class: 'vmo-explore' }, form, count, h('div', { class: 'table-scroll' }, table)));

  const params = new URLSearchParams(location.hash.slice(1));
  text.value = params.get('q') ?? '';
  for (const [name] of FILTERS) selects[name].value = params.get(name) ?? '';
  sort.value = params.get('sort') ?? 'title';
  desc.checked = params.get('desc') === '1';

  const run = () => guard(root, () => {
    const q = { text: text.value, sort: sort.value, desc: desc.checked };
    for (const [name] of FILTERS) q[name] = selects[name].value;
    const view = api.call('explore', JSON.stringify(q));
    count.textContent = `${view.count} of ${view.total} initiatives`;
    // The metric column repeats nothing: hidden when sorting by title or by NPV.
    const showMetric = Boolean(view.metric_label) && sort.value !== 'npv';
    metricHead.textContent = view.metric_label;
    metricHead.hidden = !showMetric;
    tbody.replaceChildren(...view.rows.map((r) => h('tr', { 'data-id': r.id },
      h('th', { scope: 'row' }, h('a', { href: new URL(r.url, siteRoot).href, text: r.title }),
        r.summary ? h('span', { class: 'vmo-hint vmo-block', text: r.summary }) : null),
      h('td', { text: r.stage }), h('td', { text: r.value_stream }), h('td', { text: r.owner }),
      h('td', { class: 'num', text: r.npv_text }), h('td', { class: 'num', 'data-out': 'metric', text: r.metric_text, hidden: !showMetric }))));
    const p = new URLSearchParams();
    if (text.value) p.set('q', text.value);
    for (const [name] of FILTERS) if (selects[name].value) p.set(name, selects[name].value);
    if (sort.value !== 'title') p.set('sort', sort.value);
    if (desc.checked) p.set('desc', '1');
    history.replaceState(null, '', p.toString() ? `#${p}` : location.pathname + location.search);
  });
  let pending = 0;
  form.addEventListener('input', () => { cancelAnimationFrame(pending); pending = requestAnimationFrame(run); });
  form.addEventListener('change', run);
  run();
}
