import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { createTestDatabase, type TestDatabase } from '../../test/support/postgres.js';
import { type Connector, confabConnector, floorConnector, socketIoConnector } from './clients.js';
import { ServerProcess } from './server-process.js';

export const TARGET_NAMES = ['confab', 'floor', 'socketio', 'nometrics'] as const;
export type TargetName = (typeof TARGET_NAMES)[number];

/** Confab itself, or Confab with METRICS=off (to measure what the metrics cost). */
export function isConfab(name: TargetName): name is 'confab' | 'nometrics' {
  return name === 'confab' || name === 'nometrics';
}

const ROOT = join(import.meta.dirname, '..', '..');
const CONFAB_MAIN = join(ROOT, 'dist', 'src', 'main.js');
/** Peers are transpiled here (inside the checkout, so that `ws` and `socket.io` resolve). */
const PEER_BUILD = join(ROOT, 'bench-results', '.peers');

/** What a backend means for Confab: the embedded default, or PostgreSQL + Redis from the environment. */
export type Backend = 'embedded' | 'postgres';

export interface StartOptions {
  profileDir?: string | undefined;
  backend?: Backend;
  /** Extra environment for this node (cluster: REDIS_URL, a shared JWT_SECRET, ...). */
  env?: Record<string, string>;
  /** Told where a started Confab answers, so that its /metrics can be scraped during the run. */
  announce?: ((line: string) => void) | undefined;
}

export interface User {
  token: string | undefined;
  id: string;
}

/** A started server of one kind, with what a workload needs to use it. */
export interface RunningTarget {
  readonly name: TargetName;
  readonly server: ServerProcess;
  readonly connect: Connector;
  /** Users for the workload: guests with tokens on Confab, anonymous elsewhere. */
  makeUsers(count: number): Promise<User[]>;
  /** A room that `owner` may join; on Confab a public room made by `owner`. */
  makeRoom(owner: User): Promise<string>;
  /**
   * Stops the server and starts it again on the same data: users and rooms
   * made so far remain, but the heap that making them grew is gone.
   */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** The environment every Confab node gets in the benchmark: every count limit off (content rules stay). */
export const CONFAB_BENCH_ENV = {
  RATE_LIMITS: 'off',
  DEFAULT_ROOMS: '',
};

export async function startTarget(
  name: TargetName,
  options: StartOptions = {},
): Promise<RunningTarget> {
  switch (name) {
    case 'confab':
      return startConfab(options);
    case 'nometrics':
      return startConfab({ ...options, env: { ...options.env, METRICS: 'off' } }, 'nometrics');
    case 'floor':
      return startPeer('floor', options, floorConnector);
    case 'socketio':
      return startPeer('socketio', options, (wsUrl) =>
        socketIoConnector(wsUrl.replace(/^ws/, 'http')),
      );
  }
}

/**
 * The explanation when Confab did not run `backend`: the adapters it names
 * in its "listening" line are not the ones asked for.
 */
export function backendMismatch(server: ServerProcess, backend: Backend): string | undefined {
  if (backend === 'embedded') return undefined;
  const store = String(server.listening.store ?? 'unknown');
  const bus = String(server.listening.bus ?? 'unknown');
  if (store === 'sqlite' || bus === 'memory') {
    return `Confab ran store=${store}, bus=${bus} with DATABASE_URL and REDIS_URL set, not postgres/redis`;
  }
  return undefined;
}

/** The PostgreSQL + Redis environment, or why it is missing. */
export function clusterEnv(): { env: Record<string, string> } | { missing: string } {
  const databaseUrl = process.env.DATABASE_URL;
  const redisUrl = process.env.REDIS_URL;
  if (!databaseUrl || !redisUrl) {
    return {
      missing:
        'needs DATABASE_URL and REDIS_URL, e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres REDIS_URL=redis://127.0.0.1:6379',
    };
  }
  return {
    env: {
      DATABASE_URL: databaseUrl,
      REDIS_URL: redisUrl,
      REDIS_PREFIX: process.env.REDIS_PREFIX ?? 'confab-bench:',
      JWT_SECRET: process.env.JWT_SECRET ?? 'confab-benchmark-secret-0123456789abcdef',
    },
  };
}

async function startConfab(
  options: StartOptions,
  name: 'confab' | 'nometrics' = 'confab',
): Promise<RunningTarget> {
  const dataDir = mkdtempSync(join(tmpdir(), 'confab-bench-'));
  let backendEnv: Record<string, string> = {};
  let database: TestDatabase | undefined;
  if (options.backend === 'postgres') {
    const cluster = clusterEnv();
    if ('missing' in cluster) throw new Error(`postgres backend ${cluster.missing}`);
    backendEnv = cluster.env;
    if (options.env?.DATABASE_URL === undefined) {
      // A new database per run, as SQLite gets a new file: every run starts from the same
      // empty store, and the database DATABASE_URL names keeps nothing of the benchmark.
      database = await createTestDatabase('bench');
      backendEnv = { ...backendEnv, DATABASE_URL: database.url };
    }
  }
  const spec = {
    name: 'confab',
    script: CONFAB_MAIN,
    profileDir: options.profileDir,
    env: {
      HOST: '127.0.0.1',
      PORT: '0',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
      ...CONFAB_BENCH_ENV,
      ...backendEnv,
      ...options.env,
    },
  };
  const announce = (running: ServerProcess) =>
    options.announce?.(`${name} at ${running.url} (metrics: ${running.url}/metrics)`);
  let server = await ServerProcess.start(spec);
  announce(server);
  let connect = confabConnector(server.wsUrl);
  return {
    name,
    get server() {
      return server;
    },
    get connect() {
      return connect;
    },
    makeUsers: (count) =>
      inBatches(count, 16, async () => {
        const answer = await postJson(`${server.url}/api/guest`, undefined, undefined);
        return { token: answer.token as string, id: (answer.user as { id: string }).id };
      }),
    async makeRoom() {
      // Made without a token, so that nobody owns it: the cases have every user leave the
      // rooms it uses, and a room's owner may not leave.
      const answer = await postJson(`${server.url}/api/room`, undefined, {
        visibility: 'public',
      });
      return answer.roomId as string;
    },
    async restart() {
      await server.stop();
      server = await ServerProcess.start(spec);
      announce(server);
      connect = confabConnector(server.wsUrl);
    },
    async stop() {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
      await database?.drop();
    },
  };
}

async function startPeer(
  name: 'floor' | 'socketio',
  options: StartOptions,
  connector: (wsUrl: string) => Connector,
): Promise<RunningTarget> {
  const spec = {
    name,
    script: await buildPeer(name),
    profileDir: options.profileDir,
    env: { HOST: '127.0.0.1', PORT: '0', ...options.env },
  };
  let server = await ServerProcess.start(spec);
  let connect = connector(server.wsUrl);
  let rooms = 0;
  let users = 0;
  return {
    name,
    get server() {
      return server;
    },
    get connect() {
      return connect;
    },
    async restart() {
      await server.stop();
      server = await ServerProcess.start(spec);
      connect = connector(server.wsUrl);
    },
    makeUsers: async (count) =>
      Array.from({ length: count }, () => ({ token: undefined, id: `u${++users}` })),
    makeRoom: async () => `room-${process.pid}-${++rooms}`,
    stop: () => server.stop(),
  };
}

const built = new Map<string, Promise<string>>();

/** Transpiles bench/peers/NAME.ts to plain JavaScript once per run: servers start as plain `node`. */
function buildPeer(name: string): Promise<string> {
  let done = built.get(name);
  if (!done) {
    done = (async () => {
      const source = await readFile(join(ROOT, 'bench', 'peers', `${name}.ts`), 'utf8');
      const output = ts.transpileModule(source, {
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
      });
      mkdirSync(PEER_BUILD, { recursive: true });
      const file = join(PEER_BUILD, `${name}.mjs`);
      writeFileSync(file, output.outputText);
      return file;
    })();
    built.set(name, done);
  }
  return done;
}

async function postJson(
  url: string,
  token: string | undefined,
  body: unknown,
): Promise<Record<string, unknown>> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(url, {
    method: 'POST',
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`POST ${url}: ${response.status} ${text}`);
  return JSON.parse(text) as Record<string, unknown>;
}

/** Runs `make` `count` times with at most `parallel` at once, keeping the order. */
export async function inBatches<T>(
  count: number,
  parallel: number,
  make: (index: number) => Promise<T>,
): Promise<T[]> {
  const out = new Array<T>(count);
  let next = 0;
  const lane = async () => {
    for (let i = next++; i < count; i = next++) out[i] = await make(i);
  };
  await Promise.all(Array.from({ length: Math.min(parallel, count) }, lane));
  return out;
}
