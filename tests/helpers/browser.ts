/** Headless Debian Chromium with a fake camera and microphone, driven by playwright-core. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const ARTIFACTS = path.resolve(import.meta.dirname, '../../test-artifacts');

const FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
  '--autoplay-policy=no-user-gesture-required',
  // Many tabs share one machine in tests; keep hidden tabs running at full speed.
  '--disable-background-timer-throttling', '--disable-renderer-backgrounding', '--disable-backgrounding-occluded-windows',
];

export interface BrowserTab {
  page: Page;
  context: BrowserContext;
  close(): Promise<void>;
}

export interface TabOptions {
  /** Another Chromium launcher, e.g. one that runs inside a network namespace. */
  executablePath?: string;
  /** Flags on top of the usual ones (trusting a test certificate, say). */
  args?: string[];
  /** A script run in the page before its own (e.g. recording the SDP the page negotiates). */
  initScript?: string;
}

/** One browser profile per participant, as on separate machines. */
export async function openTab(url: string, label: string, options: TabOptions = {}): Promise<BrowserTab> {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), `tongtang-${label}-`));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: options.executablePath ?? process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [...FLAGS, ...(options.args ?? [])],
    permissions: ['camera', 'microphone'],
    viewport: { width: 1280, height: 720 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const logs: string[] = [];
  page.on('console', (m) => logs.push(`[${m.type()}] ${m.text()}`));
  page.on('pageerror', (e) => logs.push(`[pageerror] ${e.message}`));
  if (options.initScript) await context.addInitScript(options.initScript);
  await page.goto(url);
  return {
    page,
    context,
    async close() {
      if (process.env.E2E_LOGS) console.log(`--- ${label} console ---\n${logs.join('\n')}`);
      await context.close().catch(() => undefined);
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** Polls `probe` until `ok` holds, returning the last value; throws with it on timeout. */
export async function eventually<T>(probe: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 20_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await probe();
    if (ok(last)) return last;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${what} not met within ${timeoutMs} ms; last value: ${JSON.stringify(last)}`);
}
