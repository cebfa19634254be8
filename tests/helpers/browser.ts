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
  viewport?: { width: number; height: number };
  /** A phone: touch events, the mobile viewport meta tag honoured. */
  phone?: boolean;
  /** Sound needs a tap first, as on a phone (see phoneAutoplayRule). */
  autoplayNeedsGesture?: boolean;
  /** Stay on a join link's device and connection check instead of going in at once. */
  stayOnCheck?: boolean;
  /** A script run in the page before its own (e.g. recording the SDP the page negotiates). */
  initScript?: string;
}

/** One browser profile per participant, as on separate machines. */
export async function openTab(url: string, label: string, options: TabOptions = {}): Promise<BrowserTab> {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), `tongtang-${label}-`));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: options.executablePath ?? process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [...(options.autoplayNeedsGesture ? FLAGS.filter((f) => !f.startsWith('--autoplay-policy')) : FLAGS), ...(options.args ?? [])],
    permissions: ['camera', 'microphone'],
    viewport: options.viewport ?? { width: 1280, height: 720 },
    ...(options.phone ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}),
  });
  if (options.autoplayNeedsGesture) await context.addInitScript(phoneAutoplayRule);
  const page = context.pages()[0] ?? (await context.newPage());
  const logs: string[] = [];
  page.on('console', (m) => logs.push(`[${m.type()}] ${m.text()}`));
  page.on('pageerror', (e) => logs.push(`[pageerror] ${e.message}`));
  if (options.initScript) await context.addInitScript(options.initScript);
  await page.goto(url);
  // A join link opens the setup check first; a participant goes in with one click.
  if (/[?&]token=/.test(url) && !options.stayOnCheck) {
    await page.getByRole('button', { name: /^(进入课堂|Join the lecture)$/ }).click({ timeout: 30_000 });
  }
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

/**
 * Phone browsers refuse to play sound before the first tap; headless Chromium here plays it
 * anyway (and Playwright's page.evaluate counts as a user gesture). So the rule is emulated in the
 * page: an unmuted play() before the first real touch, click or key press is refused with
 * NotAllowedError, as a phone does.
 */
function phoneAutoplayRule(): void {
  let touched = false;
  for (const type of ['pointerdown', 'touchstart', 'keydown', 'click']) {
    addEventListener(type, (e) => { if (e.isTrusted) touched = true; }, { capture: true });
  }
  const play = HTMLMediaElement.prototype.play;
  HTMLMediaElement.prototype.play = function (this: HTMLMediaElement) {
    if (!this.muted && !touched) return Promise.reject(new DOMException('play() needs a user gesture', 'NotAllowedError'));
    return play.call(this);
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
