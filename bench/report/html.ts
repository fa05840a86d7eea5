import { type BenchDocument, medianRun, type VariantReport } from '../lib/document.js';
import { type Bar, barChart, type Chart, type Curve, percentileChart } from './charts.js';
import { renderTable } from './table.js';

/** The charts of one variant: the headline figure per target, and latency by percentile. */
function chartsOf(variant: VariantReport): Chart[] {
  const charts: Chart[] = [];
  const targets = Object.entries(variant.targets).filter(([, t]) => t?.medians);
  if (targets.length === 0) return charts;
  if (variant.headline === 'bytesPerConnection') {
    const levels = Object.keys(targets[0]![1]!.medians!.extra).filter((k) =>
      k.startsWith('bytesPerConnection@'),
    );
    for (const level of levels) {
      const bars: Bar[] = targets.map(([name, t]) => ({
        label: name,
        value: (t!.medians!.extra[level] ?? Number.NaN) / 1024,
        points: t!.runs.map((r) => (r.extra[level] ?? Number.NaN) / 1024),
      }));
      charts.push(
        barChart(`${variant.title}: RSS per connection, ${level.split('@')[1]} open`, 'KB', bars),
      );
    }
    return charts;
  }
  const unit = targets[0]![1]!.medians!.unit;
  const headline = variant.headline === 'durationS' ? 'durationS' : 'throughput';
  charts.push(
    barChart(
      `${variant.title}: ${headline === 'durationS' ? 'time (lower is better)' : `${unit}/s (higher is better)`}`,
      headline === 'durationS' ? 's' : `${unit}/s`,
      targets.map(([name, t]) => ({
        label: name,
        value: t!.medians![headline],
        points: t!.runs.map((r) => r[headline]),
      })),
    ),
  );
  const curves: Curve[] = [];
  for (const [name, t] of targets) {
    const run = medianRun(t!, variant.headline);
    if (run?.distribution) curves.push({ label: name, ...run.distribution });
  }
  if (curves.length)
    charts.push(percentileChart(`${variant.title}: latency by percentile (median run)`, curves));
  return charts;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function renderHtml(doc: BenchDocument): string {
  const sections = doc.variants
    .map((variant) => {
      const charts = variant.skip
        ? ''
        : chartsOf(variant)
            .map((c) => `<div class="chart">${c.svg}</div>`)
            .join('\n');
      const goals = variant.goals
        .map(
          (g) =>
            `<li class="${g.met ? 'met' : 'miss'}">${g.met ? 'met' : 'missed'}: ${esc(g.name)} = ${g.value.toFixed(3)} (${esc(g.rule)})</li>`,
        )
        .join('');
      const notes = Object.entries(variant.targets)
        .filter(([, t]) => t && t.status !== 'ok')
        .map(([name, t]) => `<li>${esc(name)} ${t!.status}: ${esc(t!.reason ?? '')}</li>`)
        .join('');
      return `<section><h2>${esc(variant.title)}</h2>${variant.skip ? `<p>skipped: ${esc(variant.skip)}</p>` : ''}
<div class="charts">${charts}</div><ul>${goals}${notes}</ul></section>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Confab benchmark ${esc(doc.startedAt)}</title>
<style>
body { font-family: sans-serif; margin: 2em; color: #222; max-width: 1150px; }
.charts { display: flex; flex-wrap: wrap; gap: 16px; }
.chart { border: 1px solid #ddd; padding: 4px; }
pre { background: #f6f6f6; padding: 1em; overflow-x: auto; font-size: 12px; }
.met { color: #2b8a3e; } .miss { color: #c92a2a; }
</style></head><body>
<h1>Confab benchmark</h1>
<p><code>${esc(doc.command)}</code><br>${esc(doc.startedAt)} to ${esc(doc.finishedAt)}, commit ${esc(doc.commit ?? 'unknown')},
${doc.machine.cpus} x ${esc(doc.machine.cpuModel)}, Node ${esc(doc.machine.node)}, load ${doc.machine.loadavgStart.map((l) => l.toFixed(2)).join(' ')} at start.
Client and servers share the machine: only ratios within one run count.</p>
${sections}
<h2>Summary</h2>
<pre>${esc(renderTable(doc))}</pre>
</body></html>
`;
}

/** Every chart of the run stacked into one SVG file. */
export function renderSvg(doc: BenchDocument): string {
  const charts = doc.variants.flatMap((v) => (v.skip ? [] : chartsOf(v)));
  const width = Math.max(520, ...charts.map((c) => c.width));
  let y = 40;
  const parts = charts.map((chart) => {
    const part = `<g transform="translate(0,${y})">${chart.svg}</g>`;
    y += chart.height + 12;
    return part;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${y}" viewBox="0 0 ${width} ${y}" font-family="sans-serif">
<title>Confab benchmark</title>
<rect width="100%" height="100%" fill="#fff"/>
<text x="8" y="24" font-size="15" font-weight="bold">Confab benchmark, ${esc(doc.startedAt)} (${esc(doc.command)})</text>
${parts.join('\n')}
</svg>
`;
}
