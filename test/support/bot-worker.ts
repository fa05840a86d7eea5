import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const BOT_MAIN = join(import.meta.dirname, '..', '..', 'dist', 'src', 'bot', 'main.js');

export interface BotWorkerProcess {
  readonly child: ChildProcess;
  readonly logs: Array<Record<string, unknown>>;
  /** SIGTERM, then waits for the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL, as `kill -9`. */
  kill(): Promise<void>;
  /** Resolves when a log line with this `msg` has been printed (`count` of them in all). */
  logged(msg: string, count?: number, timeoutMs?: number): Promise<void>;
}

/**
 * Starts a bot worker as `npm run bot` does (`node dist/src/bot/main.js`),
 * with only the given environment, and resolves once it consumes.
 */
export async function startBotWorker(env: Record<string, string>): Promise<BotWorkerProcess> {
  const child = spawn(process.execPath, [BOT_MAIN], {
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Array<Record<string, unknown>> = [];
  const listeners = new Set<() => void>();
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      for (const wake of listeners) wake();
      resolve(code);
    }),
  );
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
    try {
      logs.push(JSON.parse(line) as Record<string, unknown>);
      for (const wake of listeners) wake();
    } catch {
      // not a log line
    }
  });

  const logged = async (msg: string, count = 1, timeoutMs = 15_000): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    while (logs.filter((entry) => entry.msg === msg).length < count) {
      if (child.exitCode !== null) {
        throw new Error(`bot worker exited (${child.exitCode}) before "${msg}":\n${stderr}`);
      }
      if (Date.now() > deadline) throw new Error(`bot worker did not log "${msg}" in time`);
      await new Promise<void>((resolve) => {
        const wake = () => {
          listeners.delete(wake);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(wake, deadline - Date.now());
        listeners.add(wake);
      });
    }
  };

  await logged('bot worker ready');
  return {
    child,
    logs,
    logged,
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
