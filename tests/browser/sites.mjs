// Builds a site with the release `vmo` binary into a temporary folder (or takes an
// already built one from an environment variable), and lists its pages.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * The built site of `siteDir` (relative to the repository): `process.env[envVar]` when
 * set, else a fresh build in a temporary folder. `cleanup()` removes what was built here.
 */
export function builtSite(siteDir, envVar) {
  if (process.env[envVar]) return { dir: resolve(process.env[envVar]), cleanup() {} };
  const tmp = mkdtempSync(join(tmpdir(), 'vmo-site-'));
  const out = join(tmp, 'public');
  execFileSync('cargo', ['run', '--quiet', '--release', '--locked', '-p', 'vmo-generator', '--',
    'build', join(repo, siteDir), '--out', out], { cwd: repo, stdio: ['ignore', 'inherit', 'inherit'] });
  return { dir: out, cleanup: () => rmSync(tmp, { recursive: true, force: true }) };
}

/** Every `.html` file under `dir`, as URL paths relative to the site root, sorted. */
export function htmlPages(dir) {
  const found = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.html')) found.push(relative(dir, p).split(sep).join('/'));
    }
  };
  walk(dir);
  return found.sort();
}
