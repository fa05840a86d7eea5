import type { BenchConnection } from '../lib/clients.js';
import { ErrorTally, Meter, sourceAddress } from '../lib/measure.js';
import { round, Samples } from '../lib/samples.js';
import {
  type Backend,
  backendMismatch,
  clusterEnv,
  isConfab,
  startTarget,
} from '../lib/targets.js';
import { type Goal, type Options, type Scenario, Skip, type Variant } from '../lib/types.js';
import { adaptersOf } from './cases.js';

/**
 * Messages stored per second: `senders` connections, each in its own room,
 * each with `window` sends in flight; a message counts once its ack (sent
 * after the commit) and its echo are back. Confab only: the peers store nothing.
 */
export const store: Scenario = {
  name: 'store',
  describe: 'messages stored (acked after commit) per second, SQLite and PostgreSQL',
  headline: 'throughput',
  variants: (options: Options): Variant[] =>
    (['embedded', 'postgres'] as Backend[]).map((backend) => {
      const cluster = clusterEnv();
      const messages = options.messages ?? 1_000;
      return {
        id: `store:${backend === 'embedded' ? 'sqlite' : 'postgres'}`,
        scenario: 'store',
        title: `store on ${backend === 'embedded' ? 'SQLite' : 'PostgreSQL'}, ${options.senders} senders x ${messages} messages, window ${options.window * 4}`,
        params: {
          backend,
          senders: options.senders,
          window: options.window * 4,
          messages,
        },
        skip:
          backend === 'postgres' && 'missing' in cluster
            ? `store:postgres ${cluster.missing}`
            : undefined,
      };
    }),
  unsupported: (target) => (isConfab(target) ? undefined : 'stores nothing'),
  goals(variant, medians, earlier): Goal[] {
    const postgres = medians.confab;
    const sqlite = earlier['store:sqlite']?.confab;
    if (variant.id !== 'store:postgres' || !postgres || !sqlite) return [];
    const value = postgres.throughput / sqlite.throughput;
    return [
      {
        name: 'store PostgreSQL vs SQLite',
        rule: 'PostgreSQL / SQLite messages/s >= 0.6',
        value,
        limit: 0.6,
        met: value >= 0.6,
      },
    ];
  },
  async run(variant, targetName, ctx) {
    const backend = variant.params.backend as Backend;
    const senders = Number(variant.params.senders);
    const window = Number(variant.params.window);
    const perSender = Number(variant.params.messages);
    const target = await startTarget(targetName, {
      announce: (line) => ctx.progress.line(line),
      profileDir: ctx.profileDir,
      backend,
    });
    const conns: BenchConnection[] = [];
    try {
      const mismatch = backendMismatch(target.server, backend);
      if (mismatch) throw new Skip(mismatch);
      const users = await target.makeUsers(senders);
      const rooms = await Promise.all(users.map((u) => target.makeRoom(u)));
      for (let i = 0; i < senders; i++) {
        const conn = await target.connect({
          token: users[i]!.token,
          localAddress: sourceAddress(i),
        });
        await conn.join(rooms[i]!);
        conns.push(conn);
      }
      const nonce = `${process.pid}-${ctx.run}-${Date.now().toString(36)}`;
      const samples = new Samples();
      const errors = new ErrorTally();
      const label = `${variant.id} run ${ctx.run}`;
      const blast = async (count: number, tag: string, record: boolean) => {
        await Promise.all(
          conns.map(async (conn, s) => {
            let next = 0;
            const lane = async () => {
              for (let n = next++; n < count; n = next++) {
                const t0 = performance.now();
                try {
                  await conn.send(rooms[s]!, `stored message ${n}`, `${tag}-${s}-${n}`);
                  if (record) {
                    samples.add(performance.now() - t0);
                    ctx.progress.tick();
                  }
                } catch (err) {
                  if (record) errors.add(err);
                }
              }
            };
            await Promise.all(Array.from({ length: Math.min(window, count) }, lane));
          }),
        );
      };
      await blast(Math.min(50, perSender), `w${nonce}`, false);
      const meter = new Meter([target.server]);
      ctx.progress.start(label, senders * perSender);
      meter.start();
      await blast(perSender, nonce, true);
      const { durationS, serverCpuMs, clientCpuMs } = meter.stop();
      const ops = samples.count;
      const latency = samples.summary();
      ctx.progress.finish(
        `${Math.round(ops / durationS).toLocaleString('en')} messages/s, p99 ${latency.p99} ms, ${errors.count} errors`,
      );
      if (errors.count > 0) ctx.progress.line(`  errors: ${JSON.stringify(errors.examples)}`);
      return {
        target: targetName,
        run: ctx.run,
        unit: 'messages',
        ops,
        durationS: round(durationS),
        throughput: round(ops / durationS, 1),
        latency,
        distribution: samples.distribution(),
        errors: errors.count,
        errorKinds: errors.kinds,
        serverCpuMsPerOp: round(serverCpuMs / Math.max(1, ops), 4),
        clientCpuMsPerOp: round(clientCpuMs / Math.max(1, ops), 4),
        extra: { senders, window, messagesPerSender: perSender },
        adapters: adaptersOf(target),
      };
    } finally {
      await Promise.all(conns.map((c) => c.close()));
      await target.stop();
    }
  },
};
