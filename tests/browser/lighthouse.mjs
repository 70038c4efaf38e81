// Lighthouse (mobile emulation, the default config) on the home, an article, a material and
// the search page. Scores go to OUT/lighthouse.json and the table below; the run fails when a
// page misses a target: accessibility, best practices and SEO ≥ 95, performance ≥ 90.
import lighthouse from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FLAGS } from './chrome.mjs';

const [base, out] = process.argv.slice(2);
const targets = { performance: 90, accessibility: 95, 'best-practices': 95, seo: 95 };

async function firstHref(path, prefix) {
  const html = await (await fetch(base + path)).text();
  const m = html.match(new RegExp(`<h2><a href="(${prefix}[^"]+)"`));  // the first card
  if (!m) throw new Error(`no ${prefix} link on ${path}`);
  return m[1];
}
const pages = {
  'trang chủ': '/',
  'bài viết': await firstHref('/tin-tuc', '/tin-tuc/'),
  'tài liệu': await firstHref('/tai-lieu?dinh-dang=so_tay', '/tai-lieu/'),
  'tìm kiếm': '/tim-kiem?q=h%C3%B2a+gi%E1%BA%A3i',
};

const dir = mkdtempSync(join(process.env.TMPDIR || tmpdir(), 'pbgdpl-lighthouse-'));
const chrome = await chromeLauncher.launch({ chromePath: process.env.CHROME_PATH, userDataDir: dir,
  chromeFlags: ['--headless=new', ...FLAGS] });
const results = {};
let failed = [];
try {
  for (const [name, path] of Object.entries(pages)) {
    const r = await lighthouse(base + path, { port: chrome.port, output: 'json', logLevel: 'error',
      onlyCategories: Object.keys(targets) });
    const scores = {};
    for (const k of Object.keys(targets)) scores[k] = Math.round(r.lhr.categories[k].score * 100);
    const weight = r.lhr.audits['total-byte-weight'].numericValue;
    results[name] = { path, scores, bytes: weight };
    for (const [k, t] of Object.entries(targets)) {
      if (scores[k] < t) {
        const bad = Object.values(r.lhr.audits).filter((a) => a.score !== null && a.score < 1 &&
          r.lhr.categories[k].auditRefs.some((ref) => ref.id === a.id && ref.weight > 0)).map((a) => a.id);
        failed.push(`${name} ${k} ${scores[k]} < ${t} (${bad.join(', ')})`);
      }
    }
  }
} finally {
  await chrome.kill();
  rmSync(dir, { recursive: true, force: true });
}
writeFileSync(`${out}/lighthouse.json`, JSON.stringify(results, null, 2));
console.log('| page | path | performance | accessibility | best practices | SEO | bytes |');
console.log('|---|---|---|---|---|---|---|');
for (const [name, r] of Object.entries(results))
  console.log(`| ${name} | ${r.path} | ${r.scores.performance} | ${r.scores.accessibility} | ${r.scores['best-practices']} | ${r.scores.seo} | ${r.bytes} |`);
if (failed.length) {
  console.error('== lighthouse: below target:\n  ' + failed.join('\n  '));
  process.exit(1);
}
console.log('== browser: lighthouse targets met');
