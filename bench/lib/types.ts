import type { Progress } from './progress.js';
import type { Distribution, LatencySummary } from './samples.js';
import type { Backend, TargetName } from './targets.js';

export const SCENARIO_NAMES = ['seed', 'flat', 'fanout', 'idle', 'store', 'cluster'] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

/** The command line, parsed; every count has the default. */
export interface Options {
  scenarios: ScenarioName[];
  vs: TargetName[];
  runs: number;
  workers: number;
  cases: number;
  warmup: number;
  members: number[];
  messages: number | undefined;
  window: number;
  connections: number[];
  senders: number;
  backend: Backend;
  report: 'html' | 'svg' | 'none';
  out: string;
  json: boolean;
  quiet: boolean;
  profile: boolean;
}

/** What one run of one variant against one target measured. */
export interface RunResult {
  target: TargetName;
  run: number;
  /** What `ops` counts: cases, deliveries, messages, connections. */
  unit: string;
  ops: number;
  durationS: number;
  /** ops per second */
  throughput: number;
  latency?: LatencySummary | undefined;
  distribution?: Distribution | undefined;
  errors: number;
  errorKinds: Record<string, number>;
  /** Server CPU (user + system) per op, in milliseconds. */
  serverCpuMsPerOp: number;
  /** This client process's CPU per op, in milliseconds. */
  clientCpuMsPerOp: number;
  /** Scenario-specific figures, e.g. fillS or bytesPerConnection@18000. */
  extra: Record<string, number>;
  /** Adapters the server reported, when it reports them. */
  adapters?: Record<string, string> | undefined;
}

export interface Variant {
  /** e.g. "fanout:5000" */
  id: string;
  scenario: ScenarioName;
  title: string;
  params: Record<string, number | string>;
  /** Why the whole variant is skipped, if it is. */
  skip?: string | undefined;
}

/** A target the issue sets, checked against the medians of one invocation. */
export interface Goal {
  name: string;
  /** e.g. "confab/floor time <= 1.1" */
  rule: string;
  value: number;
  limit: number;
  met: boolean;
}

export interface RunContext {
  options: Options;
  progress: Progress;
  /** Folder for CPU profiles, when --profile is on. */
  profileDir: string | undefined;
  run: number;
}

export interface Scenario {
  name: ScenarioName;
  /** One line for --help and the report. */
  describe: string;
  variants(options: Options): Variant[];
  /** Undefined, or why this target cannot run the variant (e.g. the floor has no cluster mode). */
  unsupported?(target: TargetName, variant: Variant): string | undefined;
  run(variant: Variant, target: TargetName, ctx: RunContext): Promise<RunResult>;
  /**
   * The targets for a variant, from its medians and, by variant id,
   * those of the scenario's variants run before it (store compares its
   * PostgreSQL variant with its SQLite one).
   */
  goals?(
    variant: Variant,
    medians: Partial<Record<TargetName, Medians>>,
    earlier: Readonly<Record<string, Partial<Record<TargetName, Medians>>>>,
  ): Goal[];
  /** Which figure leads the table: 'durationS' (lower is better) or 'throughput'. */
  headline: 'durationS' | 'throughput' | 'bytesPerConnection';
}

/** The median of each figure over the runs of one target, errors summed. */
export interface Medians {
  runs: number;
  unit: string;
  durationS: number;
  throughput: number;
  latency?: LatencySummary | undefined;
  errors: number;
  serverCpuMsPerOp: number;
  clientCpuMsPerOp: number;
  extra: Record<string, number>;
}

/** Thrown when a target cannot run here (a missing adapter, a missing service): a skip, not an error. */
export class Skip extends Error {}
