/**
 * A small SVG line chart, no dependencies: panels side by side sharing one x axis (log scale,
 * e.g. connection count), one line per series, a legend. Enough for bench/results.svg and
 * readable on GitHub (plain SVG, system fonts, no scripts).
 */

export interface Series {
  name: string;
  /** y per x; null where the run failed (the line breaks there). */
  points: Array<{ x: number; y: number | null }>;
}

export interface Panel {
  title: string;
  yLabel: string;
  series: Series[];
  /** Log y axis (latencies spanning decades). */
  logY?: boolean;
}

const COLORS = ['#d62728', '#1f77b4', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b'];
const W = 440;
const H = 300;
const M = { left: 64, right: 16, top: 36, bottom: 48 };

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const ticks: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + 1e-9; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

function logTicks(lo: number, hi: number): number[] {
  const ticks: number[] = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
    for (const m of [1, 2, 5]) {
      const t = m * 10 ** e;
      if (t >= lo * 0.999 && t <= hi * 1.001) ticks.push(t);
    }
  }
  return ticks.length >= 2 ? ticks : [lo, hi];
}

export function shortNumber(n: number): string {
  if (n >= 1e6) return `${Number((n / 1e6).toPrecision(3))}M`;
  if (n >= 1e3) return `${Number((n / 1e3).toPrecision(3))}k`;
  return String(Number(n.toPrecision(3)));
}

function panelSvg(panel: Panel, xs: number[], xLabel: string, offsetX: number): string {
  const ys = panel.series.flatMap((s) => s.points.map((p) => p.y)).filter((y): y is number => y !== null && Number.isFinite(y) && (!panel.logY || y > 0));
  const xLo = Math.min(...xs);
  const xHi = Math.max(...xs);
  const yLo = panel.logY ? Math.min(...ys) / 1.5 : 0;
  const yHi = (ys.length ? Math.max(...ys) : 1) * (panel.logY ? 1.5 : 1.1);
  const pw = W - M.left - M.right;
  const ph = H - M.top - M.bottom;
  const px = (x: number) => M.left + (xHi === xLo ? pw / 2 : ((Math.log(x) - Math.log(xLo)) / (Math.log(xHi) - Math.log(xLo))) * pw);
  const py = (y: number) =>
    M.top + ph - (panel.logY ? ((Math.log(y) - Math.log(yLo)) / (Math.log(yHi) - Math.log(yLo))) * ph : ((y - yLo) / (yHi - yLo || 1)) * ph);
  const out: string[] = [`<g transform="translate(${offsetX},0)">`];
  out.push(`<text x="${M.left + pw / 2}" y="20" text-anchor="middle" font-size="14" font-weight="bold">${esc(panel.title)}</text>`);
  const yTicks = panel.logY ? logTicks(yLo, yHi) : niceTicks(yLo, yHi);
  for (const t of yTicks) {
    const y = py(t).toFixed(1);
    out.push(`<line x1="${M.left}" x2="${M.left + pw}" y1="${y}" y2="${y}" stroke="#ddd"/>`);
    out.push(`<text x="${M.left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle" font-size="11">${shortNumber(t)}</text>`);
  }
  for (const x of xs) {
    const X = px(x).toFixed(1);
    out.push(`<line x1="${X}" x2="${X}" y1="${M.top}" y2="${M.top + ph}" stroke="#eee"/>`);
    out.push(`<text x="${X}" y="${M.top + ph + 16}" text-anchor="middle" font-size="11">${shortNumber(x)}</text>`);
  }
  out.push(`<rect x="${M.left}" y="${M.top}" width="${pw}" height="${ph}" fill="none" stroke="#888"/>`);
  out.push(`<text x="${M.left + pw / 2}" y="${H - 10}" text-anchor="middle" font-size="12">${esc(xLabel)}</text>`);
  out.push(`<text transform="translate(16,${M.top + ph / 2}) rotate(-90)" text-anchor="middle" font-size="12">${esc(panel.yLabel)}</text>`);
  panel.series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length]!;
    let d = '';
    let pen = false;
    for (const p of [...s.points].sort((a, b) => a.x - b.x)) {
      if (p.y === null || !Number.isFinite(p.y) || (panel.logY && p.y <= 0)) {
        pen = false;
        continue;
      }
      d += `${pen ? 'L' : 'M'}${px(p.x).toFixed(1)},${py(p.y).toFixed(1)} `;
      pen = true;
      out.push(`<circle cx="${px(p.x).toFixed(1)}" cy="${py(p.y).toFixed(1)}" r="3" fill="${color}"/>`);
    }
    if (d) out.push(`<path d="${d.trim()}" fill="none" stroke="${color}" stroke-width="2"/>`);
  });
  out.push('</g>');
  return out.join('\n');
}

/** Panels side by side, one legend under them for the series (same names in every panel). */
export function lineChart(title: string, xLabel: string, panels: Panel[]): string {
  const xs = [...new Set(panels.flatMap((p) => p.series.flatMap((s) => s.points.map((q) => q.x))))].filter((x) => x > 0).sort((a, b) => a - b);
  const names = [...new Set(panels.flatMap((p) => p.series.map((s) => s.name)))];
  const width = W * panels.length;
  const legendY = H + 10;
  const height = legendY + 20 * Math.ceil(names.length / 3) + 10;
  const body = panels.map((p, i) => panelSvg(p, xs, xLabel, i * W));
  const legend = names.map((n, i) => {
    const x = 20 + (i % 3) * (width / 3);
    const y = legendY + 20 * Math.floor(i / 3);
    return `<rect x="${x}" y="${y}" width="14" height="4" fill="${COLORS[i % COLORS.length]}"/><text x="${x + 20}" y="${y + 5}" font-size="12" dominant-baseline="middle">${esc(n)}</text>`;
  });
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height + 24}" viewBox="0 0 ${width} ${height + 24}" font-family="sans-serif">\n` +
    `<rect width="100%" height="100%" fill="white"/>\n<g transform="translate(0,24)">\n${body.join('\n')}\n${legend.join('\n')}\n</g>\n` +
    `<text x="${width / 2}" y="18" text-anchor="middle" font-size="15" font-weight="bold">${esc(title)}</text>\n</svg>\n`
  );
}
