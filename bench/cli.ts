/**
 * `npm run bench -- [scenario ...] [flags]`: runs Confab (and, with --vs,
 * the peers, alternately) through the chosen scenarios; prints a summary
 * table, writes one JSON document and an HTML or SVG report into
 * bench-results/. See `npm run bench -- --help` and docs/performance.md.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs, USAGE, UsageError } from './lib/args.js';
import {
  type BenchDocument,
  mediansOf,
  ratiosOf,
  type TargetReport,
  type VariantReport,
} from './lib/document.js';
import { Progress } from './lib/progress.js';
import type { TargetName } from './lib/targets.js';
import { type Medians, type Options, type Scenario, type ScenarioName, Skip } from './lib/types.js';
import { renderHtml, renderSvg } from './report/html.js';
import { renderTable } from './report/table.js';
import { cluster } from './scenarios/cluster.js';
import { fanout } from './scenarios/fanout.js';
import { flat } from './scenarios/flat.js';
import { idle } from './scenarios/idle.js';
import { seed } from './scenarios/seed.js';
import { store } from './scenarios/store.js';

const SCENARIOS: Record<ScenarioName, Scenario> = { seed, flat, fanout, idle, store, cluster };
const ROOT = resolve(import.meta.dirname, '..');

export async function runBench(options: Options, argv: readonly string[]): Promise<BenchDocument> {
  const progress = new Progress(options.quiet);
  const outDir = resolve(ROOT, options.out);
  mkdirSync(outDir, { recursive: true });
  const profileDir = options.profile ? join(outDir, 'profiles') : undefined;
  if (profileDir) mkdirSync(profileDir, { recursive: true });
  const doc: BenchDocument = {
    tool: 'confab-bench',
    version: 1,
    command: ['npm run bench --', ...argv].join(' '),
    commit: gitCommit(),
    startedAt: new Date().toISOString(),
    finishedAt: '',
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      node: process.version,
      platform: `${process.platform} ${process.arch}`,
      totalMemGiB: Math.round(totalmem() / 2 ** 30),
      loadavgStart: loadavg(),
      loadavgEnd: [],
    },
    options,
    variants: [],
    goals: [],
    errors: 0,
  };
  const targets: TargetName[] = ['confab', ...options.vs];
  for (const name of options.scenarios) {
    const scenario = SCENARIOS[name];
    const earlier: Record<string, Partial<Record<TargetName, Medians>>> = {};
    for (const variant of scenario.variants(options)) {
      const report: VariantReport = {
        ...variant,
        headline: scenario.headline,
        targets: {},
        ratios: {},
        goals: [],
      };
      doc.variants.push(report);
      if (variant.skip) {
        progress.line(`${variant.title}: skipped: ${variant.skip}`);
        continue;
      }
      for (const target of targets) {
        const reason = scenario.unsupported?.(target, variant);
        report.targets[target] = reason
          ? { status: 'skipped', reason, runs: [] }
          : { status: 'ok', runs: [] };
      }
      for (let run = 1; run <= options.runs; run++) {
        // Alternate, and rotate who goes first, so that drift hits every target alike.
        const order = targets.map((_, i) => targets[(i + run - 1) % targets.length] as TargetName);
        for (const target of order) {
          const entry = report.targets[target] as TargetReport;
          if (entry.status !== 'ok') continue;
          try {
            entry.runs.push(
              await scenario.run(variant, target, { options, progress, profileDir, run }),
            );
          } catch (err) {
            entry.status = err instanceof Skip ? 'skipped' : 'failed';
            entry.reason = err instanceof Error ? err.message : String(err);
            progress.line(`${variant.id} ${target}: ${entry.status}: ${entry.reason}`);
          }
        }
      }
      for (const entry of Object.values(report.targets)) {
        if (!entry) continue;
        const medians = mediansOf(entry.runs);
        if (medians) entry.medians = medians;
        doc.errors += (medians?.errors ?? 0) + (entry.status === 'failed' ? 1 : 0);
      }
      const confab = report.targets.confab?.medians;
      for (const peer of options.vs) {
        const theirs = report.targets[peer]?.medians;
        if (confab && theirs) report.ratios[peer] = ratiosOf(confab, theirs, scenario.headline);
      }
      const medians = Object.fromEntries(
        Object.entries(report.targets).flatMap(([k, t]) => (t?.medians ? [[k, t.medians]] : [])),
      );
      report.goals = scenario.goals?.(variant, medians, earlier) ?? [];
      doc.goals.push(...report.goals);
      earlier[variant.id] = medians;
    }
  }
  doc.finishedAt = new Date().toISOString();
  doc.machine.loadavgEnd = loadavg();

  const stamp = doc.startedAt.replace(/[:.]/g, '-');
  const json = `${JSON.stringify(doc, null, 2)}\n`;
  writeFileSync(join(outDir, `bench-${stamp}.json`), json);
  writeFileSync(join(outDir, 'latest.json'), json);
  if (options.report !== 'none') {
    const body = options.report === 'html' ? renderHtml(doc) : renderSvg(doc);
    writeFileSync(join(outDir, `bench-${stamp}.${options.report}`), body);
    writeFileSync(join(outDir, `latest.${options.report}`), body);
  }
  progress.line(
    `results: ${join(options.out, `bench-${stamp}.json`)}${options.report === 'none' ? '' : ` and .${options.report}`}`,
  );
  return doc;
}

function gitCommit(): string | undefined {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: ROOT,
      encoding: 'utf8',
    }).trim();
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  let options: Options;
  try {
    options = parseArgs(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    if (err.message) process.stderr.write(`bench: ${err.message}\n\n`);
    process.stderr.write(USAGE);
    process.exit(err.message ? 2 : 0);
  }
  if (!existsSync(join(ROOT, 'dist', 'src', 'main.js'))) {
    process.stderr.write(
      'bench: dist/src/main.js is missing: run `npm run build` (npm install does it)\n',
    );
    process.exit(2);
  }
  const doc = await runBench(options, argv);
  const table = renderTable(doc);
  if (options.json) {
    process.stderr.write(`${table}\n`);
    process.stdout.write(`${JSON.stringify(doc)}\n`);
  } else {
    process.stdout.write(`${table}\n`);
  }
  process.exit(doc.errors > 0 ? 1 : 0);
}

await main();
