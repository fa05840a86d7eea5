import { median, round } from './samples.js';
import type { TargetName } from './targets.js';
import type { Goal, Medians, Options, RunResult, Variant } from './types.js';

/** The one JSON document a run writes: everything measured, for machines. */
export interface BenchDocument {
  tool: 'confab-bench';
  version: 1;
  command: string;
  commit: string | undefined;
  startedAt: string;
  finishedAt: string;
  machine: {
    cpus: number;
    cpuModel: string;
    node: string;
    platform: string;
    totalMemGiB: number;
    loadavgStart: number[];
    loadavgEnd: number[];
  };
  options: Options;
  variants: VariantReport[];
  goals: Goal[];
  /** Errors over every run of every target: failed cases, lost deliveries, crashed runs. */
  errors: number;
}

export interface TargetReport {
  status: 'ok' | 'skipped' | 'failed';
  reason?: string;
  runs: RunResult[];
  medians?: Medians;
}

export interface VariantReport extends Variant {
  headline: 'durationS' | 'throughput' | 'bytesPerConnection';
  targets: Partial<Record<TargetName, TargetReport>>;
  /** Confab's median over each peer's: throughput, time, p50, p99, CPU per op, bytes per connection. */
  ratios: Record<string, Record<string, number>>;
  goals: Goal[];
}

export function mediansOf(runs: readonly RunResult[]): Medians | undefined {
  if (runs.length === 0) return undefined;
  const pick = (f: (r: RunResult) => number | undefined) =>
    round(median(runs.map(f).filter((v): v is number => v !== undefined && Number.isFinite(v))), 4);
  const extraKeys = new Set(runs.flatMap((r) => Object.keys(r.extra)));
  const extra: Record<string, number> = {};
  for (const key of extraKeys) extra[key] = pick((r) => r.extra[key]);
  const withLatency = runs.filter((r) => r.latency);
  return {
    runs: runs.length,
    unit: runs[0]?.unit ?? '',
    durationS: pick((r) => r.durationS),
    throughput: pick((r) => r.throughput),
    latency: withLatency.length
      ? {
          count: pick((r) => r.latency?.count),
          mean: pick((r) => r.latency?.mean),
          p50: pick((r) => r.latency?.p50),
          p90: pick((r) => r.latency?.p90),
          p99: pick((r) => r.latency?.p99),
          max: pick((r) => r.latency?.max),
        }
      : undefined,
    errors: runs.reduce((sum, r) => sum + r.errors, 0),
    serverCpuMsPerOp: pick((r) => r.serverCpuMsPerOp),
    clientCpuMsPerOp: pick((r) => r.clientCpuMsPerOp),
    extra,
  };
}

export function ratiosOf(
  confab: Medians,
  peer: Medians,
  headline: VariantReport['headline'],
): Record<string, number> {
  const r = (a: number | undefined, b: number | undefined) =>
    a === undefined || b === undefined || !Number.isFinite(a) || !Number.isFinite(b) || b === 0
      ? Number.NaN
      : round(a / b, 3);
  const out: Record<string, number> = {};
  if (headline === 'bytesPerConnection') {
    for (const key of Object.keys(confab.extra)) {
      if (key.startsWith('bytesPerConnection')) out[key] = r(confab.extra[key], peer.extra[key]);
    }
    return out;
  }
  Object.assign(out, {
    throughput: r(confab.throughput, peer.throughput),
    durationS: r(confab.durationS, peer.durationS),
    p50: r(confab.latency?.p50, peer.latency?.p50),
    p99: r(confab.latency?.p99, peer.latency?.p99),
    serverCpuMsPerOp: r(confab.serverCpuMsPerOp, peer.serverCpuMsPerOp),
  });
  for (const key of Object.keys(out)) if (Number.isNaN(out[key])) delete out[key];
  return out;
}

/** The run whose headline figure is the median: its distribution stands for the target in charts. */
export function medianRun(
  report: TargetReport,
  headline: VariantReport['headline'],
): RunResult | undefined {
  const value = (r: RunResult) =>
    headline === 'bytesPerConnection' ? (r.extra.bytesPerConnection ?? 0) : r[headline];
  const sorted = [...report.runs].sort((a, b) => value(a) - value(b));
  return sorted[(sorted.length - 1) >> 1];
}
