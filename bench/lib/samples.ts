/** Latency figures in milliseconds. */
export interface LatencySummary {
  count: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** A latency distribution for charts: the value at each quantile, in milliseconds. */
export interface Distribution {
  quantiles: number[];
  values: number[];
}

/** The quantiles a distribution chart plots; log-spaced towards the tail, as HdrHistogram does. */
export const CHART_QUANTILES = [
  0, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.995, 0.999, 0.9995, 0.9999, 1,
];

/**
 * Every sample of one run, kept exactly (8 bytes each: a million samples is
 * 8 MB), so that percentiles are exact rather than bucketed.
 */
export class Samples {
  private data = new Float64Array(4096);
  private n = 0;
  private sorted: Float64Array | undefined;

  add(value: number): void {
    if (this.n === this.data.length) {
      const grown = new Float64Array(this.n * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.n++] = value;
    this.sorted = undefined;
  }

  get count(): number {
    return this.n;
  }

  /** The value at quantile `q` (0 to 1), nearest-rank. */
  quantile(q: number): number {
    const sorted = this.sort();
    if (sorted.length === 0) return 0;
    const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
    return sorted[rank] as number;
  }

  summary(): LatencySummary {
    const sorted = this.sort();
    let sum = 0;
    for (const v of sorted) sum += v;
    return {
      count: sorted.length,
      mean: round(sorted.length ? sum / sorted.length : 0),
      p50: round(this.quantile(0.5)),
      p90: round(this.quantile(0.9)),
      p99: round(this.quantile(0.99)),
      max: round(this.quantile(1)),
    };
  }

  distribution(): Distribution {
    return {
      quantiles: CHART_QUANTILES,
      values: CHART_QUANTILES.map((q) => round(this.quantile(q))),
    };
  }

  private sort(): Float64Array {
    this.sorted ??= this.data.slice(0, this.n).sort();
    return this.sorted;
  }
}

/** Three significant decimals is plenty for milliseconds and ratios. */
export function round(value: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
