import { randomBytes } from 'node:crypto';
import { call } from './http.js';
import { createTestDatabase, type TestDatabase } from './postgres.js';
import { deleteKeys, testPrefix } from './redis.js';
import { type ConfabProcess, removeDataDir, startConfab } from './server.js';

export interface ClusterOptions {
  /** Nodes started at once (they migrate the new database together). Default 3. */
  nodes?: number;
  /** The Redis to share; default REDIS_URL (the machine's). Fault tests pass their own. */
  redisUrl?: string;
  /** More settings for every node. */
  env?: Record<string, string>;
}

/**
 * Several real server processes on one new PostgreSQL database of this run's
 * own and one Redis, under a Redis prefix of this run's own, sharing a
 * JWT_SECRET: a cluster as `npm run cluster` starts it, on free loopback ports.
 */
export class Cluster {
  readonly nodes: ConfabProcess[] = [];

  private constructor(
    readonly database: TestDatabase,
    readonly redisUrl: string,
    readonly env: Record<string, string>,
  ) {}

  static async start(options: ClusterOptions = {}): Promise<Cluster> {
    const redisUrl = options.redisUrl ?? process.env.REDIS_URL;
    if (!redisUrl) throw new Error('a cluster needs REDIS_URL');
    const database = await createTestDatabase('cluster');
    const cluster = new Cluster(database, redisUrl, {
      DATABASE_URL: database.url,
      REDIS_URL: redisUrl,
      REDIS_PREFIX: testPrefix('cluster'),
      JWT_SECRET: randomBytes(32).toString('hex'),
      ...options.env,
    });
    try {
      await Promise.all(Array.from({ length: options.nodes ?? 3 }, () => cluster.addNode()));
    } catch (err) {
      await cluster.stop();
      throw err;
    }
    return cluster;
  }

  /** Starts one more node; `env` overrides the cluster's settings for it alone. */
  async addNode(env: Record<string, string> = {}): Promise<ConfabProcess> {
    const node = await startConfab({ ...this.env, ...env });
    this.nodes.push(node);
    return node;
  }

  /** Stops every node still running, then drops the database and the Redis keys. */
  async stop(): Promise<void> {
    await Promise.all(this.nodes.map((node) => node.stop()));
    for (const node of this.nodes) removeDataDir(node);
    await this.database.drop();
    await deleteKeys(this.redisUrl, this.env.REDIS_PREFIX as string).catch(() => {
      // A fault test's own Redis may already be gone: it kept nothing on disk.
    });
  }
}

export interface StoredMessage {
  seq: number;
  id: string;
  clientId?: string;
  message: string;
}

/** A public room's whole history, read page by page from `url`. */
export async function readHistory(url: string, roomId: string): Promise<StoredMessage[]> {
  const history: StoredMessage[] = [];
  for (;;) {
    const after = history.at(-1)?.seq ?? 0;
    const page = await call(url, 'GET', `/api/room/${roomId}/messages?after=${after}&limit=200`);
    if (page.status !== 200) throw new Error(`history: ${JSON.stringify(page.body)}`);
    history.push(...page.body);
    if (page.body.length < 200) return history;
  }
}
