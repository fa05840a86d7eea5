import type { BenchDocument, VariantReport } from '../lib/document.js';
import type { Medians } from '../lib/types.js';

type Column = { head: string; cell: (m: Medians) => string };

const num = (v: number | undefined, digits = 0) =>
  v === undefined || !Number.isFinite(v)
    ? '-'
    : v.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const kb = (v: number | undefined) =>
  v === undefined || !Number.isFinite(v) ? '-' : (v / 1024).toFixed(1);

function columns(variant: VariantReport, m: Medians): Column[] {
  if (variant.headline === 'bytesPerConnection') {
    const levels = Object.keys(m.extra)
      .filter((k) => k.startsWith('bytesPerConnection@'))
      .map((k) => k.split('@')[1] as string);
    return [
      ...levels.map((l) => ({
        head: `KB/conn@${l}`,
        cell: (x: Medians) => kb(x.extra[`bytesPerConnection@${l}`]),
      })),
      {
        head: 'RSS empty MB',
        cell: (x) => num((x.extra.rssEmptyBytes ?? Number.NaN) / 1048576, 1),
      },
      { head: 'errors', cell: (x) => num(x.errors) },
    ];
  }
  const cols: Column[] = [
    { head: 'time s', cell: (x) => num(x.durationS, 2) },
    { head: `${m.unit}/s`, cell: (x) => num(x.throughput) },
    { head: 'p50 ms', cell: (x) => num(x.latency?.p50, 2) },
    { head: 'p90 ms', cell: (x) => num(x.latency?.p90, 2) },
    { head: 'p99 ms', cell: (x) => num(x.latency?.p99, 2) },
    { head: 'max ms', cell: (x) => num(x.latency?.max, 1) },
    { head: 'errors', cell: (x) => num(x.errors) },
    { head: 'srv CPU ms/op', cell: (x) => num(x.serverCpuMsPerOp, 4) },
    { head: 'cli CPU ms/op', cell: (x) => num(x.clientCpuMsPerOp, 4) },
  ];
  if (m.extra.fillS !== undefined)
    cols.push({ head: 'fill s', cell: (x) => num(x.extra.fillS, 2) });
  return cols;
}

/** The summary table for people: medians per target, Confab's ratios, and the issue's targets. */
export function renderTable(doc: BenchDocument): string {
  const out: string[] = [];
  for (const variant of doc.variants) {
    out.push('');
    if (variant.skip) {
      out.push(`${variant.title}: skipped: ${variant.skip}`);
      continue;
    }
    const entries = Object.entries(variant.targets);
    const withMedians = entries.filter(([, t]) => t?.medians);
    const runs = Math.max(0, ...withMedians.map(([, t]) => t?.medians?.runs ?? 0));
    out.push(`${variant.title}${runs > 1 ? ` (median of ${runs} alternated runs)` : ''}`);
    const first = withMedians[0]?.[1]?.medians;
    if (first) {
      const cols = columns(variant, first);
      const rows: string[][] = [['target', ...cols.map((c) => c.head)]];
      for (const [name, target] of withMedians)
        rows.push([name, ...cols.map((c) => c.cell(target!.medians!))]);
      const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
      for (const row of rows)
        out.push(
          `  ${row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ')}`,
        );
    }
    for (const [peer, ratios] of Object.entries(variant.ratios)) {
      const parts = Object.entries(ratios).map(([k, v]) => `${k} ${v.toFixed(2)}x`);
      out.push(`  confab/${peer}: ${parts.join(', ')}`);
    }
    for (const [name, target] of entries) {
      if (target && target.status !== 'ok')
        out.push(`  ${name}: ${target.status}: ${target.reason ?? ''}`);
    }
    for (const goal of variant.goals) {
      out.push(
        `  ${goal.met ? 'MET ' : 'MISS'} ${goal.name}: ${goal.value.toFixed(3)} (${goal.rule})`,
      );
    }
  }
  out.push('');
  out.push(
    `errors: ${doc.errors}; goals met: ${doc.goals.filter((g) => g.met).length}/${doc.goals.length}`,
  );
  return out.join('\n');
}
