import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';

const GC_HOOK = pathToFileURL(join(import.meta.dirname, 'gc-hook.mjs')).href;
/** Clock ticks per second in /proc/<pid>/stat; 100 on every Linux this runs on. */
const CLK_TCK = 100;
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 15_000;

export interface ServerSpec {
  /** Shown in errors. */
  name: string;
  /** A JavaScript file run by node. */
  script: string;
  env: Record<string, string>;
  /** Writes a V8 CPU profile into this folder when the server exits. */
  profileDir?: string | undefined;
}

/**
 * A server under test in its own process: node with --expose-gc and the GC
 * hook, listening on a free loopback port that it prints as a JSON line
 * (`{"msg":"... listening","port":N}`).
 */
export class ServerProcess {
  readonly logs: Array<Record<string, unknown>> = [];
  /** The JSON line that announced the port (Confab's names the adapters). */
  listening: Record<string, unknown> = {};
  port = 0;
  private stderr = '';
  private readonly exited: Promise<number | null>;
  private gcWaiters: Array<(rss: number) => void> = [];

  private constructor(
    readonly name: string,
    readonly child: ChildProcess,
  ) {
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    child.stderr?.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString()).slice(-8_000);
    });
  }

  static async start(spec: ServerSpec): Promise<ServerProcess> {
    const nodeArgs = ['--expose-gc', '--import', GC_HOOK];
    if (spec.profileDir) nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${spec.profileDir}`);
    const child = spawn(process.execPath, [...nodeArgs, spec.script], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...spec.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const server = new ServerProcess(spec.name, child);
    await server.waitListening();
    return server;
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get wsUrl(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  /** User plus system CPU time of the whole process so far, in milliseconds. */
  cpuMs(): number {
    try {
      const stat = readFileSync(`/proc/${this.pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // Fields 14 and 15 of stat (utime, stime) are 11 and 12 after the command name.
      return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLK_TCK;
    } catch {
      return Number.NaN;
    }
  }

  /** Forces two full garbage collections in the server, then returns its RSS in bytes. */
  async gcAndRss(): Promise<number> {
    const answered = new Promise<number>((resolve) => this.gcWaiters.push(resolve));
    this.child.kill('SIGUSR2');
    const rss = await Promise.race([answered, delay(10_000).then(() => Number.NaN)]);
    return Number.isNaN(rss) ? this.rssBytes() : rss;
  }

  /** Resident set size now, from /proc, in bytes. */
  rssBytes(): number {
    try {
      const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
      const kb = /VmRSS:\s+(\d+)/.exec(status)?.[1];
      return kb ? Number(kb) * 1024 : Number.NaN;
    } catch {
      return Number.NaN;
    }
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** SIGTERM (by PID) and wait; SIGKILL if it has not exited in 15 s. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGTERM');
    const code = await Promise.race([this.exited, delay(STOP_TIMEOUT_MS).then(() => 'timeout')]);
    if (code === 'timeout') {
      this.child.kill('SIGKILL');
      await this.exited;
    }
  }

  recentStderr(): string {
    return this.stderr;
  }

  private waitListening(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.child.kill('SIGKILL');
        reject(
          new Error(`${this.name} did not listen within ${START_TIMEOUT_MS} ms:\n${this.stderr}`),
        );
      }, START_TIMEOUT_MS);
      const lines = createInterface({ input: this.child.stdout as NodeJS.ReadableStream });
      lines.on('line', (line) => {
        let entry: Record<string, unknown>;
        try {
          entry = JSON.parse(line) as Record<string, unknown>;
        } catch {
          return;
        }
        if (entry.msg === 'bench gc') {
          for (const waiter of this.gcWaiters.splice(0)) waiter(Number(entry.rss));
          return;
        }
        if (this.logs.length < 1_000) this.logs.push(entry);
        if (
          this.port === 0 &&
          typeof entry.port === 'number' &&
          /listening/.test(String(entry.msg))
        ) {
          this.port = entry.port;
          this.listening = entry;
          clearTimeout(timer);
          resolve();
        }
      });
      this.exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`${this.name} exited with ${code} before listening:\n${this.stderr}`));
      });
    });
  }
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
