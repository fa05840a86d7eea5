import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { type ProcessResult, runNode } from './run-process.js';

/** The built server's entry point, as `npm start` runs it. */
export const MAIN = join(import.meta.dirname, '..', '..', 'dist', 'src', 'main.js');

export interface ConfabProcess {
  readonly port: number;
  readonly url: string;
  readonly wsUrl: string;
  readonly dataDir: string;
  readonly env: Record<string, string>;
  readonly child: ChildProcess;
  /** Log lines printed so far, parsed. */
  readonly logs: Array<Record<string, unknown>>;
  /** SIGTERM, then waits for the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL: a crash, as `kill -9`. */
  kill(): Promise<void>;
}

/**
 * Starts the real server (`node dist/src/main.js`, as `npm start` does) on a
 * free loopback port with its own data folder, and resolves once it listens.
 */
export async function startConfab(env: Record<string, string> = {}): Promise<ConfabProcess> {
  const dataDir = env.DATA_DIR ?? mkdtempSync(join(tmpdir(), 'confab-test-'));
  const fullEnv: Record<string, string> = {
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'info',
    // Count limits are off unless a test turns them on (RATE_LIMITS=on) to test them.
    RATE_LIMITS: 'off',
    // Tests count the rooms they make; test/e2e/default-rooms.test.ts turns this back on.
    DEFAULT_ROOMS: '',
    ...env,
    DATA_DIR: dataDir,
  };
  const child = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH ?? '', ...fullEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Array<Record<string, unknown>> = [];
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  const port = await new Promise<number>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.on('line', (line) => {
      try {
        const entry = JSON.parse(line) as Record<string, unknown>;
        logs.push(entry);
        if (entry.msg === 'confab listening') resolve(entry.port as number);
      } catch {
        // not a log line
      }
    });
    exited.then((code) =>
      reject(new Error(`confab exited with ${code} before listening:\n${stderr}`)),
    );
  });
  const url = `http://127.0.0.1:${port}`;
  return {
    port,
    url,
    wsUrl: `ws://127.0.0.1:${port}`,
    dataDir,
    env: fullEnv,
    child,
    logs,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
    async kill() {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Starts the server again on the same data folder (and settings), as after a restart. */
export function restartConfab(previous: ConfabProcess): Promise<ConfabProcess> {
  return startConfab({ ...previous.env, PORT: '0' });
}

export function removeDataDir(server: ConfabProcess): void {
  rmSync(server.dataDir, { recursive: true, force: true });
}

/** Runs the server until it exits by itself, for start-up failures. */
export function runToExit(env: Record<string, string>): Promise<ProcessResult> {
  return runNode([MAIN], {
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', ...env },
  });
}
