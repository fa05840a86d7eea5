/**
 * Re-renders reports from JSON documents the benchmark wrote; later files'
 * variants replace earlier ones with the same id (e.g. a re-run of `idle`).
 *   node --import tsx bench/report/render.ts A.json [B.json ...] [--svg OUT.svg] [--html OUT.html] [--table]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { BenchDocument } from '../lib/document.js';
import { renderHtml, renderSvg } from './html.js';
import { renderTable } from './table.js';

function merge(docs: BenchDocument[]): BenchDocument {
  const [first, ...rest] = docs;
  if (!first) throw new Error('no document');
  const merged: BenchDocument = { ...first, variants: [...first.variants] };
  for (const doc of rest) {
    for (const variant of doc.variants) {
      const at = merged.variants.findIndex((v) => v.id === variant.id);
      if (at >= 0) merged.variants[at] = variant;
      else merged.variants.push(variant);
    }
    merged.command = `${merged.command}; ${doc.command}`;
    merged.finishedAt = doc.finishedAt;
  }
  merged.goals = merged.variants.flatMap((v) => v.goals);
  merged.errors = merged.variants.reduce(
    (sum, v) => sum + Object.values(v.targets).reduce((s, t) => s + (t?.medians?.errors ?? 0), 0),
    0,
  );
  return merged;
}

const args = process.argv.slice(2);
const flag = (name: string) => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
};
const files = args.filter(
  (a, i) => a.endsWith('.json') && args[i - 1] !== '--svg' && args[i - 1] !== '--html',
);
const doc = merge(files.map((f) => JSON.parse(readFileSync(f, 'utf8')) as BenchDocument));
const svg = flag('--svg');
const html = flag('--html');
if (svg) writeFileSync(svg, renderSvg(doc));
if (html) writeFileSync(html, renderHtml(doc));
if (args.includes('--table') || (!svg && !html)) process.stdout.write(`${renderTable(doc)}\n`);
