/** Finds text and controls cut off at the right: any shown element whose content is wider than its box. */
import type { Page } from 'playwright-core';

/** The panels of every view: console columns, side panels, bars, open tab panels. */
const PANELS = '.topbar, .col, .side, .classroom-side, .student-bar, .classroom-bar, [role="tabpanel"]:not([hidden]), .setup-dialog[open]';

export function clippedElements(page: Page): Promise<string[]> {
  return page.evaluate((selector) => {
    const found = new Set<string>();
    for (const root of document.querySelectorAll(selector)) {
      for (const el of [root, ...root.querySelectorAll('*')]) {
        if (!(el instanceof HTMLElement) || el.getClientRects().length === 0) continue; // not shown
        if (el.closest('.visually-hidden')) continue; // for screen readers: a 1 px box on purpose
        if (el.scrollWidth > el.clientWidth + 1) {
          const text = (el.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 50);
          found.add(`<${el.tagName.toLowerCase()} class="${el.className}"> "${text}" ${el.scrollWidth} > ${el.clientWidth}`);
        }
      }
    }
    return [...found];
  }, PANELS);
}
