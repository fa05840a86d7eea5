import { ClientError } from '../../clients/confab-client.js';
import type { ServerProcess } from './server-process.js';

/** Wall time and CPU (this process and the servers) over the timed part of a run. */
export class Meter {
  private t0 = 0;
  private client0 = process.cpuUsage();
  private server0 = 0;

  constructor(private readonly servers: readonly ServerProcess[]) {}

  start(): void {
    this.server0 = this.serverCpu();
    this.client0 = process.cpuUsage();
    this.t0 = performance.now();
  }

  stop(): { durationS: number; serverCpuMs: number; clientCpuMs: number } {
    const durationS = (performance.now() - this.t0) / 1000;
    const client = process.cpuUsage(this.client0);
    return {
      durationS,
      serverCpuMs: this.serverCpu() - this.server0,
      clientCpuMs: (client.user + client.system) / 1000,
    };
  }

  private serverCpu(): number {
    return this.servers.reduce((sum, server) => sum + server.cpuMs(), 0);
  }
}

/** Every failure, counted by kind: errors are reported, never dropped. */
export class ErrorTally {
  count = 0;
  readonly kinds: Record<string, number> = {};
  /** The first message of each kind, for the log. */
  readonly examples: Record<string, string> = {};

  add(err: unknown): void {
    const kind = err instanceof ClientError ? err.kind : 'other';
    this.count += 1;
    this.kinds[kind] = (this.kinds[kind] ?? 0) + 1;
    this.examples[kind] ??= err instanceof Error ? err.message : String(err);
  }

  addMissing(kind: string, n: number, example: string): void {
    if (n <= 0) return;
    this.count += n;
    this.kinds[kind] = (this.kinds[kind] ?? 0) + n;
    this.examples[kind] ??= example;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Loopback source addresses 127.0.0.1 to 127.0.0.9, round robin: each has its own ephemeral ports. */
export function sourceAddress(index: number): string {
  return `127.0.0.${(index % 9) + 1}`;
}
