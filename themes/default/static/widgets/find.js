// "Find on this chart": a search box over a value-vs-effort bubble chart. Typing a name
// (or part of one) rings the matching bubbles, fades the others and writes each match's
// name beside its bubble, so a reader finds their initiative among unlabelled ones.
// Plain JavaScript, no WebAssembly: the bubbles' hover titles (one <g><title> per mark,
// written by the chart) are what it searches. Without JavaScript the box stays hidden.
//
//   <form class="chart-find" data-chart-find hidden> <input type="search"> <output> </form>
//   followed, in the same card, by the chart's <svg class="vmo-chart-bubble">.

const SVG = 'http://www.w3.org/2000/svg';

function marks(svg) {
  return [...svg.querySelectorAll('g')].filter((g) => g.querySelector(':scope > circle') && g.querySelector(':scope > title'));
}

/** The initiative's name: the hover title's first line (the figures follow it). */
function nameOf(title) {
  return title.textContent.split('\n')[0].trim();
}

function attach(form) {
  const svg = form.closest('section, .card')?.querySelector('svg.vmo-chart-bubble');
  if (!svg) return;
  const input = form.querySelector('input');
  const out = form.querySelector('output');
  const groups = marks(svg);
  const apply = () => {
    const q = input.value.trim().toLowerCase();
    for (const l of svg.querySelectorAll('.vmo-find-label')) l.remove();
    let found = 0;
    for (const g of groups) {
      const name = nameOf(g.querySelector(':scope > title'));
      const hit = q !== '' && name.toLowerCase().includes(q);
      g.classList.toggle('vmo-find-hit', hit);
      g.classList.toggle('vmo-find-dim', q !== '' && !hit);
      if (!hit) continue;
      found += 1;
      // Bring the match to the front and name it above its bubble.
      g.parentNode.append(g);
      const c = g.querySelector(':scope > circle');
      const cx = Number(c.getAttribute('cx')), cy = Number(c.getAttribute('cy')), r = Number(c.getAttribute('r'));
      const label = document.createElementNS(SVG, 'text');
      label.setAttribute('class', 'vmo-find-label');
      label.setAttribute('x', String(cx));
      label.setAttribute('y', String(Math.max(12, cy - r - 6)));
      label.setAttribute('text-anchor', cx > Number(svg.viewBox.baseVal.width) * 0.75 ? 'end' : 'middle');
      label.setAttribute('font-size', '12.5');
      label.textContent = name;
      svg.append(label);
    }
    out.textContent = q === '' ? '' : found === 0
      ? 'Not on this chart.'
      : `${found} on the chart, ringed.`;
  };
  input.addEventListener('input', apply);
  form.addEventListener('submit', (e) => { e.preventDefault(); apply(); });
  form.hidden = false;
}

for (const form of document.querySelectorAll('[data-chart-find]')) attach(form);
