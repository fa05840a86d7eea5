import { createTestDatabase } from '../../test/support/postgres.js';
import {
  backendMismatch,
  clusterEnv,
  isConfab,
  type RunningTarget,
  startTarget,
} from '../lib/targets.js';
import { type Options, type Scenario, Skip, type Variant } from '../lib/types.js';
import { runFanout } from './fanout.js';

/**
 * Two nodes through Redis: the sender on node A, every other member on node B,
 * so each delivery but the sender's own crosses the bus. Confab runs on
 * PostgreSQL + Redis (DATABASE_URL, REDIS_URL, a shared JWT_SECRET); Socket.IO
 * with @socket.io/redis-adapter. The floor has no cluster mode. A Confab whose
 * "listening" line names other adapters (sqlite/memory) is skipped, saying so.
 */
export const cluster: Scenario = {
  name: 'cluster',
  describe:
    'two nodes through Redis: sender on A, members on B; cross-node deliveries/s and latency',
  headline: 'throughput',
  variants: (options: Options): Variant[] => {
    const env = clusterEnv();
    const members = Math.min(...options.members, 1_000);
    return [
      {
        id: `cluster:${members}`,
        scenario: 'cluster',
        title: `cluster, 2 nodes, ${members.toLocaleString('en')} members`,
        params: {
          members,
          messages: options.messages ?? Math.max(100, Math.round(200_000 / members)),
          window: options.window,
        },
        skip: 'missing' in env ? `cluster ${env.missing}` : undefined,
      },
    ];
  },
  unsupported: (target) => (target === 'floor' ? 'the floor has no cluster mode' : undefined),
  async run(variant, targetName, ctx) {
    const env = clusterEnv();
    if ('missing' in env) throw new Skip(env.missing);
    const nodeEnv: Record<string, string> =
      targetName === 'socketio'
        ? {
            REDIS_URL: env.env.REDIS_URL as string,
            SOCKETIO_KEY: `bench-${process.pid}-${ctx.run}`,
          }
        : {};
    const backend = isConfab(targetName) ? 'postgres' : 'embedded';
    // Both nodes on one new database, dropped after the run.
    const database = isConfab(targetName) ? await createTestDatabase('bench_cluster') : undefined;
    if (database) nodeEnv.DATABASE_URL = database.url;
    const nodes: RunningTarget[] = [];
    try {
      for (let i = 0; i < 2; i++) {
        nodes.push(
          await startTarget(targetName, {
            announce: (line) => ctx.progress.line(line),
            profileDir: ctx.profileDir,
            backend,
            env: nodeEnv,
          }),
        );
      }
      if (isConfab(targetName)) {
        const mismatch = backendMismatch(nodes[0]!.server, 'postgres');
        if (mismatch) throw new Skip(mismatch);
      }
      return await runFanout(nodes[0]!, [nodes[1]!], variant, ctx);
    } finally {
      await Promise.all(nodes.map((n) => n.stop()));
      await database?.drop();
    }
  },
};
