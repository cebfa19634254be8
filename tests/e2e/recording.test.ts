/**
 * Students must know when they are recorded: the lecturer starts recording from the console, and
 * the student view shows a "recording" status — found by its role and accessible name, in
 * Chinese and in English — that appears and goes with the recording, for late joiners too.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, openTab, screenshot, type BrowserTab } from '../helpers/browser.ts';
import { startTestNode, type TestNode } from '../helpers/server.ts';

const lectureId = 'recording-e2e';
const recordingsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tt-e2e-rec-'));
let node: TestNode;
const tabs: BrowserTab[] = [];

async function open(opts: Parameters<TestNode['token']>[0], label: string): Promise<Page> {
  const tab = await openTab(`${node.url}/?token=${node.token({ lectureId, ...opts })}`, label);
  tabs.push(tab);
  await eventually(() => tab.page.evaluate(() => window.__tongtang!.state()) as Promise<{ joined: boolean }>, (s) => s.joined, 30_000, `${label} joined`);
  return tab.page;
}

const AXE = path.resolve(import.meta.dirname, '../../node_modules/axe-core/axe.min.js');
type AxeResult = { violations: { id: string; nodes: { target: string[] }[] }[] };

/** axe-core's WCAG 2 A and AA rules, evaluated through the DevTools protocol (the CSP refuses script tags). */
async function axeViolations(p: Page): Promise<string[]> {
  if (!(await p.evaluate(() => 'axe' in window))) await p.evaluate(fs.readFileSync(AXE, 'utf8'));
  const result = await p.evaluate(() =>
    (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<AxeResult> } }).axe.run(document, { runOnly: ['wcag2a', 'wcag2aa'] }));
  return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join('; ')}`);
}

const shown = (l: Locator, yes: boolean) => expect.poll(() => l.isVisible(), { timeout: 15_000 }).toBe(yes);

beforeAll(async () => {
  node = await startTestNode({ recordingsDir });
}, 60_000);
afterAll(async () => {
  for (const tab of tabs) await tab.close();
  await node?.close();
  fs.rmSync(recordingsDir, { recursive: true, force: true });
});

describe('recording indicator', () => {
  it('appears for the student when the lecturer records, in Chinese and in English', async () => {
    const lecturer = await open({ role: 'lecturer', name: 'Prof. Wang', subject: 'prof' }, 'rec-lecturer');
    await lecturer.getByRole('button', { name: '开始直播' }).click();
    const student = await open({ role: 'student', name: 'Li Hua', subject: 'li' }, 'rec-student');
    const zh = student.getByRole('status', { name: '正在录制' });
    await shown(zh, false);

    await lecturer.getByRole('button', { name: '开始录制' }).click();
    await shown(lecturer.getByRole('status', { name: '正在录制' }), true);
    await shown(zh, true);
    await screenshot(student, 'student-recording-zh');

    await student.getByTestId('language-select').selectOption('en');
    const en = student.getByRole('status', { name: 'Recording' });
    await shown(en, true);
    expect(await en.textContent()).toContain('Recording');
    await screenshot(student, 'student-recording-en');
    expect(await axeViolations(student)).toEqual([]);

    // A student joining now learns it with the lecture, not from a broadcast it missed.
    const late = await open({ role: 'student', name: 'Late Comer', subject: 'late' }, 'rec-late');
    await shown(late.getByRole('status', { name: '正在录制' }), true);

    await lecturer.getByRole('button', { name: '停止录制' }).click();
    await shown(en, false);
    await shown(late.getByRole('status', { name: '正在录制' }), false);
    // What the recording wrote: a directory with the event log (no media: nobody published).
    const [stamp] = fs.readdirSync(path.join(recordingsDir, lectureId));
    const log = fs.readFileSync(path.join(recordingsDir, lectureId, stamp!, 'events.jsonl'), 'utf8');
    expect(log).toContain('"recording.stopped"');
  });
});
