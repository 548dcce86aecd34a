// vmo widgets loader. Pages with widgets carry
//   <script type="module" src="{root}assets/widgets/widgets.js"></script>
// and one element per widget: <section data-vmo-widget="whatif|prioritise|explore" ...>
// whose static content (a fallback text) stays when JavaScript or WebAssembly is missing.
// No inline script or style: every file is 'self', wasm needs only 'wasm-unsafe-eval'.

const KINDS = new Set(['whatif', 'prioritise', 'explore']);

/** Thrown when the Rust code panicked: the message is the panic's. */
export class WidgetPanic extends Error {}

/** The site root (this file is at assets/widgets/widgets.js). */
export const siteRoot = new URL('../../', import.meta.url);

/** Creates an element: h('p', {class: 'x', 'aria-live': 'polite'}, 'text', child). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === false || v == null) continue;
    if (k === 'text') el.textContent = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c != null) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

/**
 * Marks a field invalid or valid. `aria-invalid` must say "true": an empty value, which
 * `toggleAttribute` writes, is read by assistive technology as not invalid.
 */
export function markInvalid(el, invalid) {
  if (invalid) el.setAttribute('aria-invalid', 'true');
  else el.removeAttribute('aria-invalid');
}

/** The widget's status line (created on first use). */
export function status(root, message, kind = 'info') {
  let line = root.querySelector(':scope > .vmo-status');
  if (!line) {
    line = h('p', { class: 'vmo-status', role: 'status', 'aria-live': 'polite' });
    root.prepend(line);
  }
  line.textContent = message;
  line.dataset.kind = kind;
  line.hidden = !message;
  if (kind === 'error') line.setAttribute('role', 'alert');
  return line;
}

/** Runs fn, turning any failure (a panic included) into a message in the widget. */
export function guard(root, fn) {
  try {
    const out = fn();
    if (root.querySelector(':scope > .vmo-status')?.dataset.kind === 'error') status(root, '');
    return out;
  } catch (e) {
    const what = e instanceof WidgetPanic
      ? `The widget hit an internal error and restarted: ${e.message}`
      : `The widget could not update: ${e.message ?? e}`;
    status(root, what, 'error');
    console.warn('vmo widget:', e);
    return undefined;
  }
}

/** The Rust side: JSON in, JSON out, panics reported and the session rebuilt. */
function makeApi(glue, text) {
  let widgets = new glue.Widgets(text);
  const rethrow = (e) => {
    const panic = glue.take_panic();
    if (panic) {
      // The aborted call may have left the session borrowed: start a fresh one.
      widgets = new glue.Widgets(text);
      throw new WidgetPanic(panic);
    }
    throw e;
  };
  return {
    call(method, ...args) {
      try {
        return JSON.parse(widgets[method](...args));
      } catch (e) {
        return rethrow(e);
      }
    },
    panicForTest() {
      try {
        glue.panic_for_test();
      } catch (e) {
        rethrow(e);
      }
    },
  };
}

function loadCss() {
  return new Promise((resolve) => {
    const href = new URL('./widgets.css', import.meta.url).href;
    if ([...document.styleSheets].some((s) => s.href === href)) return resolve();
    const link = h('link', { rel: 'stylesheet', href });
    link.addEventListener('load', resolve);
    link.addEventListener('error', resolve);
    document.head.append(link);
  });
}

// An initiative page's what-if reads that initiative's own small file; any other
// widget reads every initiative's inputs (data/inputs.json: no computed metrics, which
// the widgets compute themselves).
function dataPath(roots) {
  const ids = new Set(roots.map((r) => (r.dataset.vmoWidget === 'whatif' ? r.dataset.initiative : null)));
  const [id] = ids;
  return ids.size === 1 && id ? `data/whatif/${encodeURIComponent(id)}.json` : 'data/inputs.json';
}

async function boot(roots) {
  for (const root of roots) {
    root.classList.add('vmo-widget');
    status(root, 'Loading the interactive widget…');
  }
  let api;
  const data = dataPath(roots);
  try {
    const [glue, , res] = await Promise.all([
      import('./vmo_widgets.js'),
      loadCss(),
      fetch(new URL(data, siteRoot)),
    ]);
    await glue.default();
    if (!res.ok) throw new Error(`${data} answered HTTP ${res.status}`);
    api = makeApi(glue, await res.text());
  } catch (e) {
    for (const root of roots) {
      status(root, `The interactive widget could not load (${e.message ?? e}). ` +
        'Everything else on this page is complete without it.', 'error');
      root.dataset.vmoState = 'failed';
    }
    return;
  }
  for (const root of roots) {
    const kind = root.dataset.vmoWidget;
    if (!KINDS.has(kind)) {
      status(root, `Unknown widget "${kind}".`, 'error');
      continue;
    }
    try {
      const mod = await import(`./${kind}.js`);
      root.addEventListener('vmo-test-panic', () => guard(root, () => api.panicForTest()));
      guard(root, () => mod.mount(root, api));
      const failed = root.querySelector(':scope > .vmo-status')?.dataset.kind === 'error';
      if (!failed) {
        status(root, '');
        // The widget works: its no-JavaScript text and the static list it stands in for
        // (one list, enhanced in place, not a second copy) go out of view.
        for (const e of root.querySelectorAll(':scope > .vmo-fallback')) e.hidden = true;
        for (const e of document.querySelectorAll(`[data-vmo-replaced-by="${kind}"]`)) e.hidden = true;
      }
      root.dataset.vmoState = failed ? 'failed' : 'ready';
    } catch (e) {
      status(root, `The interactive widget could not start (${e.message ?? e}).`, 'error');
      root.dataset.vmoState = 'failed';
    }
  }
}

const roots = [...document.querySelectorAll('[data-vmo-widget]')];
if (roots.length) boot(roots);
