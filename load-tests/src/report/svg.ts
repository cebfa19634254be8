/** Tiny inline-SVG charts, so the HTML report is one self-contained file that opens offline. */

export interface Series {
  name: string;
  points: [number, number | null][];
}

const W = 640;
const H = 220;
const PAD = { left: 52, right: 12, top: 12, bottom: 30 };
const COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#17becf'];

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** "Nice" upper bound and tick step for an axis from 0 to max. */
export function niceScale(max: number): { top: number; step: number } {
  if (!(max > 0)) return { top: 1, step: 0.25 };
  const raw = max / 4;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  return { top: Math.ceil(max / step) * step, step };
}

function fmt(n: number): string {
  return Math.abs(n) >= 1000 ? `${+(n / 1000).toFixed(1)}k` : `${+n.toFixed(2)}`;
}

/** Lines over time; a null value breaks the line. */
export function lineChart(title: string, series: Series[], yUnit: string, xUnit = 's'): string {
  const xs = series.flatMap((s) => s.points.map(([x]) => x));
  const ys = series.flatMap((s) => s.points.map(([, y]) => y).filter((y): y is number => y !== null));
  if (xs.length === 0 || ys.length === 0) return emptyChart(title);
  const x0 = Math.min(...xs);
  const x1 = Math.max(...xs, x0 + 1);
  const { top, step } = niceScale(Math.max(...ys));
  const px = (x: number) => PAD.left + ((x - x0) / (x1 - x0)) * (W - PAD.left - PAD.right);
  const py = (y: number) => H - PAD.bottom - (y / top) * (H - PAD.top - PAD.bottom);
  const parts: string[] = [];
  for (let y = 0; y <= top + 1e-9; y += step) {
    parts.push(`<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${py(y)}" y2="${py(y)}" stroke="#eee"/>`,
      `<text x="${PAD.left - 4}" y="${py(y) + 4}" text-anchor="end">${fmt(y)}</text>`);
  }
  const xStep = niceScale(x1 - x0).step;
  for (let x = Math.ceil(x0 / xStep) * xStep; x <= x1; x += xStep) {
    parts.push(`<text x="${px(x)}" y="${H - PAD.bottom + 14}" text-anchor="middle">${fmt(x)}</text>`);
  }
  parts.push(`<text x="${W - PAD.right}" y="${H - 4}" text-anchor="end">${escapeXml(xUnit)}</text>`,
    `<text x="4" y="${PAD.top}" >${escapeXml(yUnit)}</text>`);
  series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length]!;
    let d = '';
    let pen = false;
    for (const [x, y] of s.points) {
      if (y === null) { pen = false; continue; }
      d += `${pen ? 'L' : 'M'}${px(x).toFixed(1)},${py(y).toFixed(1)}`;
      pen = true;
    }
    parts.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="1.5"/>`);
  });
  return frame(title, parts.join(''), series.map((s, i) => [s.name, COLORS[i % COLORS.length]!]));
}

/** Distribution of samples as bars over equal-width bins. */
export function histogramChart(title: string, values: number[], unit: string, bins = 20): string {
  if (values.length === 0) return emptyChart(title);
  const lo = Math.min(...values);
  const hi = Math.max(...values, lo + 1e-9);
  const width = (hi - lo) / bins || 1;
  const counts = new Array<number>(bins).fill(0);
  for (const v of values) counts[Math.min(bins - 1, Math.floor((v - lo) / width))]!++;
  const { top, step } = niceScale(Math.max(...counts));
  const bw = (W - PAD.left - PAD.right) / bins;
  const py = (y: number) => H - PAD.bottom - (y / top) * (H - PAD.top - PAD.bottom);
  const parts: string[] = [];
  for (let y = 0; y <= top + 1e-9; y += step) parts.push(`<text x="${PAD.left - 4}" y="${py(y) + 4}" text-anchor="end">${fmt(y)}</text>`);
  counts.forEach((c, i) => {
    parts.push(`<rect x="${PAD.left + i * bw + 1}" y="${py(c)}" width="${Math.max(1, bw - 2)}" height="${H - PAD.bottom - py(c)}" fill="${COLORS[0]}"><title>${fmt(lo + i * width)}–${fmt(lo + (i + 1) * width)} ${escapeXml(unit)}: ${c}</title></rect>`);
  });
  parts.push(`<text x="${PAD.left}" y="${H - PAD.bottom + 14}">${fmt(lo)}</text>`,
    `<text x="${W - PAD.right}" y="${H - PAD.bottom + 14}" text-anchor="end">${fmt(hi)} ${escapeXml(unit)}</text>`);
  return frame(title, parts.join(''), []);
}

function frame(title: string, body: string, legend: [string, string][]): string {
  const keys = legend.map(([name, color]) => `<span style="color:${color}">■</span> ${escapeXml(name)}`).join(' &nbsp; ');
  return `<figure><figcaption>${escapeXml(title)}</figcaption><svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" font-size="10" font-family="sans-serif">${body}</svg><div class="legend">${keys}</div></figure>`;
}

function emptyChart(title: string): string {
  return `<figure><figcaption>${escapeXml(title)}</figcaption><p class="empty">no data</p></figure>`;
}
