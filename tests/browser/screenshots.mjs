// Screenshots of the key pages for people to look at: each page at 1,280 px and at
// 390 px (a phone), light and dark, and as printed (print media at A4 width), full
// page. Not a test: the browser tests assert what a person checks; this is for eyes.
//
//   node tests/browser/screenshots.mjs SITE_DIR OUT_DIR [PAGE ...]
//
// PAGE is a site path (`index.html`, `roadmap/index.html`); without one, the key pages.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launch } from './browser.mjs';
import { serve } from './server.mjs';

const KEY_PAGES = [
  'index.html',
  'initiatives/index.html',
  'prioritisation/index.html',
  'whatif/index.html',
  'roadmap/index.html',
  'dependencies/index.html',
  'risks/index.html',
  'benefits/index.html',
  'value-streams/index.html',
];

const MODES = [
  { name: 'desktop', width: 1280, height: 900, scheme: 'light', media: 'screen' },
  { name: 'desktop-dark', width: 1280, height: 900, scheme: 'dark', media: 'screen' },
  { name: 'phone', width: 390, height: 844, scheme: 'light', media: 'screen' },
  { name: 'phone-dark', width: 390, height: 844, scheme: 'dark', media: 'screen' },
  { name: 'print', width: 794, height: 1123, scheme: 'light', media: 'print' },
];

const [site, out, ...pages] = process.argv.slice(2);
if (!site || !out) {
  console.error('usage: node tests/browser/screenshots.mjs SITE_DIR OUT_DIR [PAGE ...]');
  process.exit(2);
}
mkdirSync(out, { recursive: true });
const server = await serve(site);
const context = await launch();
try {
  for (const path of pages.length ? pages : KEY_PAGES) {
    for (const mode of MODES) {
      const page = await context.newPage();
      await page.setViewportSize({ width: mode.width, height: mode.height });
      await page.emulateMedia({ colorScheme: mode.scheme, media: mode.media });
      await page.goto(`${server.url}${path}`);
      await page.waitForLoadState('networkidle');
      const file = join(out, `${path.replace(/\/?index\.html$/, '').replaceAll('/', '-') || 'dashboard'}-${mode.name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      console.log(file);
      await page.close();
    }
  }
} finally {
  await context.close();
  await server.close();
}
