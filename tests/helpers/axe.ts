/** axe-core's WCAG 2 A and AA rules, run inside a page. */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

type AxeResult = { violations: { id: string; nodes: { target: string[]; failureSummary?: string }[] }[] };
const AXE = path.resolve(import.meta.dirname, '../../node_modules/axe-core/axe.min.js');

/** Runs axe-core's WCAG 2 A and AA rules on the whole page and expects no violation. */
export async function expectAccessible(p: Page, name: string): Promise<void> {
  // Evaluated rather than added as a <script>: the page's Content-Security-Policy forbids inline scripts.
  if (!(await p.evaluate(() => 'axe' in window))) await p.evaluate(fs.readFileSync(AXE, 'utf8'));
  const result = await p.evaluate(() =>
    (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<AxeResult> } }).axe.run(document, { runOnly: ['wcag2a', 'wcag2aa'] }));
  const found = result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => `${n.target.join(' ')} (${n.failureSummary ?? ''})`).join('; ')}`);
  expect(found, `axe violations in ${name}`).toEqual([]);
}
