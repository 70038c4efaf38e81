// Debian's chromium, headless, with the flags the project uses everywhere and a fresh
// user-data dir per context.
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run'];

export async function freshContext(options = {}) {
  const dir = mkdtempSync(join(process.env.TMPDIR || tmpdir(), 'pbgdpl-chromium-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
    headless: true,
    args: [...FLAGS, '--autoplay-policy=no-user-gesture-required'],
    locale: 'vi-VN',
    ...options,
  });
  const close = async () => { await context.close(); rmSync(dir, { recursive: true, force: true }); };
  return { context, page: context.pages()[0] || await context.newPage(), close };
}
