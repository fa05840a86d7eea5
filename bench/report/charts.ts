/** Hand-drawn SVG charts: no chart library, so the report opens anywhere, offline. */

export const COLORS: Record<string, string> = {
  confab: '#d9480f',
  floor: '#495057',
  socketio: '#1971c2',
};
const FALLBACK = ['#2f9e44', '#ae3ec9', '#f08c00'];

export interface Chart {
  svg: string;
  width: number;
  height: number;
}

export interface Bar {
  label: string;
  value: number;
  /** Each run's value, drawn as dots over the bar (the bar is the median). */
  points?: number[];
}

function color(label: string, i: number): string {
  return COLORS[label] ?? FALLBACK[i % FALLBACK.length] ?? '#000';
}

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function fmt(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString('en');
  if (Math.abs(value) >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

/** Horizontal bars, one per target, labelled with the value. */
export function barChart(title: string, unit: string, bars: Bar[]): Chart {
  const width = 520;
  const rowH = 28;
  const left = 90;
  const right = 150;
  const top = 34;
  const height = top + bars.length * rowH + 14;
  const max = Math.max(
    ...bars.flatMap((b) => [b.value, ...(b.points ?? [])]).filter(Number.isFinite),
    1e-9,
  );
  const scale = (v: number) => ((width - left - right) * v) / max;
  const rows = bars
    .map((bar, i) => {
      const y = top + i * rowH;
      const w = Number.isFinite(bar.value) ? scale(bar.value) : 0;
      const reach = Math.max(w, ...(bar.points ?? []).filter(Number.isFinite).map(scale));
      const dots = (bar.points ?? [])
        .map(
          (p) =>
            `<circle cx="${left + scale(p)}" cy="${y + 10}" r="2.5" fill="#fff" stroke="#000" stroke-width="0.8"/>`,
        )
        .join('');
      return `<text x="${left - 8}" y="${y + 14}" text-anchor="end" font-size="12">${esc(bar.label)}</text>
<rect x="${left}" y="${y}" width="${w}" height="20" fill="${color(bar.label, i)}" rx="2"/>${dots}
<text x="${left + reach + 8}" y="${y + 14}" font-size="12">${esc(fmt(bar.value))} ${esc(unit)}</text>`;
    })
    .join('\n');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">
<title>${esc(title)}</title>
<text x="8" y="20" font-size="13" font-weight="bold">${esc(title)}</text>
${rows}
</svg>`;
  return { svg, width, height };
}

export interface Curve {
  label: string;
  quantiles: number[];
  values: number[];
}

/**
 * Latency by percentile, HdrHistogram style: the x axis stretches the tail
 * (position = log10(1 / (1 - q))), the y axis is logarithmic milliseconds.
 */
export function percentileChart(title: string, curves: Curve[]): Chart {
  const width = 520;
  const height = 260;
  const left = 56;
  const right = 110;
  const top = 40;
  const bottom = 36;
  const maxX = 4; // 99.99 %
  const xOf = (q: number) => Math.min(maxX, Math.log10(1 / Math.max(1e-4, 1 - q)));
  const all = curves.flatMap((c) => c.values).filter((v) => v > 0);
  const lo = Math.log10(Math.max(0.01, Math.min(...all, 1)));
  const hi = Math.log10(Math.max(...all, 1)) + 0.1;
  const px = (x: number) => left + ((width - left - right) * x) / maxX;
  const py = (ms: number) =>
    top + (height - top - bottom) * (1 - (Math.log10(Math.max(ms, 0.01)) - lo) / (hi - lo));
  const xTicks = [
    [0, '0%'],
    [1, '90%'],
    [2, '99%'],
    [3, '99.9%'],
    [4, '99.99%'],
  ] as const;
  const yTicks: number[] = [];
  for (let e = Math.floor(lo); e <= Math.ceil(hi); e++) {
    for (const m of [1, 2, 5]) {
      const v = m * 10 ** e;
      if (Math.log10(v) >= lo && Math.log10(v) <= hi) yTicks.push(v);
    }
  }
  const grid = [
    ...xTicks.map(
      ([x, label]) =>
        `<line x1="${px(x)}" y1="${top}" x2="${px(x)}" y2="${height - bottom}" stroke="#ddd"/><text x="${px(x)}" y="${height - bottom + 14}" font-size="10" text-anchor="middle">${label}</text>`,
    ),
    ...yTicks.map(
      (v) =>
        `<line x1="${left}" y1="${py(v)}" x2="${width - right}" y2="${py(v)}" stroke="#eee"/><text x="${left - 4}" y="${py(v) + 3}" font-size="10" text-anchor="end">${fmt(v)}</text>`,
    ),
  ].join('\n');
  const lines = curves
    .map((curve, i) => {
      const points = curve.quantiles
        .map((q, k) => `${px(xOf(q)).toFixed(1)},${py(curve.values[k] ?? 0).toFixed(1)}`)
        .join(' ');
      const p99 = curve.values[curve.quantiles.indexOf(0.99)] ?? 0;
      return `<polyline fill="none" stroke="${color(curve.label, i)}" stroke-width="2" points="${points}"/>
<text x="${width - right + 6}" y="${top + 14 + i * 16}" font-size="11" fill="${color(curve.label, i)}">${esc(curve.label)} p99 ${esc(fmt(p99))}</text>`;
    })
    .join('\n');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">
<title>${esc(title)}</title>
<text x="8" y="18" font-size="13" font-weight="bold">${esc(title)}</text>
<text x="${left - 44}" y="${top - 6}" font-size="10">ms (log)</text>
<text x="${(left + width - right) / 2}" y="${height - 6}" font-size="10" text-anchor="middle">percentile</text>
${grid}
<rect x="${left}" y="${top}" width="${width - left - right}" height="${height - top - bottom}" fill="none" stroke="#999"/>
${lines}
</svg>`;
  return { svg, width, height };
}

export interface Series {
  label: string;
  /** [x, y] points, x ascending. */
  points: Array<[number, number]>;
}

/** Lines over time (or any ascending x), linear axes from zero; for the soak's memory samples. */
export function lineChart(title: string, xUnit: string, yUnit: string, series: Series[]): Chart {
  const width = 620;
  const height = 280;
  const left = 56;
  const right = 150;
  const top = 40;
  const bottom = 36;
  const xs = series.flatMap((s) => s.points.map(([x]) => x));
  const ys = series.flatMap((s) => s.points.map(([, y]) => y));
  const maxX = Math.max(...xs, 1e-9);
  const maxY = Math.max(...ys, 1e-9) * 1.1;
  const px = (x: number) => left + ((width - left - right) * x) / maxX;
  const py = (y: number) => top + (height - top - bottom) * (1 - y / maxY);
  const ticks = (max: number) => {
    const step = 10 ** Math.floor(Math.log10(max / 2));
    const nice = [1, 2, 5].map((m) => m * step).find((s) => max / s <= 6) ?? step * 10;
    return Array.from({ length: Math.floor(max / nice) + 1 }, (_, i) => i * nice);
  };
  const grid = [
    ...ticks(maxX).map(
      (x) =>
        `<line x1="${px(x)}" y1="${top}" x2="${px(x)}" y2="${height - bottom}" stroke="#eee"/><text x="${px(x)}" y="${height - bottom + 14}" font-size="10" text-anchor="middle">${fmt(x)}</text>`,
    ),
    ...ticks(maxY).map(
      (y) =>
        `<line x1="${left}" y1="${py(y)}" x2="${width - right}" y2="${py(y)}" stroke="#eee"/><text x="${left - 4}" y="${py(y) + 3}" font-size="10" text-anchor="end">${fmt(y)}</text>`,
    ),
  ].join('\n');
  const lines = series
    .map((s, i) => {
      const points = s.points.map(([x, y]) => `${px(x).toFixed(1)},${py(y).toFixed(1)}`).join(' ');
      const last = s.points.at(-1)?.[1] ?? 0;
      return `<polyline fill="none" stroke="${color(s.label, i)}" stroke-width="1.5" points="${points}"/>
<text x="${width - right + 6}" y="${top + 14 + i * 16}" font-size="11" fill="${color(s.label, i)}">${esc(s.label)} ${esc(fmt(last))} ${esc(yUnit)}</text>`;
    })
    .join('\n');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">
<title>${esc(title)}</title>
<text x="8" y="18" font-size="13" font-weight="bold">${esc(title)}</text>
<text x="${left - 44}" y="${top - 6}" font-size="10">${esc(yUnit)}</text>
<text x="${(left + width - right) / 2}" y="${height - 6}" font-size="10" text-anchor="middle">${esc(xUnit)}</text>
${grid}
<rect x="${left}" y="${top}" width="${width - left - right}" height="${height - top - bottom}" fill="none" stroke="#999"/>
${lines}
</svg>`;
  return { svg, width, height };
}
