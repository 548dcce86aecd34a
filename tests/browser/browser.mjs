// Headless Chromium (the Debian package) driven by playwright-core; the flags are
// explained in docs/references.md ("Headless Chromium"). Every page records console
// errors, page errors and CSP violations; tests fail on any of them.
import { chromium } from 'playwright-core';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export async function launch() {
  return chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'vmo-chromium-')), {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export async function openPage(context, url, { javaScript = true } = {}) {
  const page = await context.newPage();
  const problems = [];
  const requested = [];
  page.requested = requested;
  page.on('request', (r) => requested.push(new URL(r.url()).pathname));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  await page.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
  });
  if (!javaScript) await page.route('**/*.js', (r) => r.abort());
  await page.goto(url);
  page.problems = async () => [...problems, ...(await page.evaluate(() => window.__csp ?? [])).map((c) => `CSP: ${c}`)];
  return page;
}
