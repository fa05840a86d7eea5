import type { BenchConnection } from '../lib/clients.js';
import { ErrorTally, sleep, sourceAddress } from '../lib/measure.js';
import { round } from '../lib/samples.js';
import { inBatches, startTarget, type User } from '../lib/targets.js';
import type { Goal, Options, Scenario, Variant } from '../lib/types.js';
import { adaptersOf } from './cases.js';

const OPEN_PARALLEL = 100;
/** Quiet time after the last connection opens, before the collection and the reading: up to 2 s. */
const settleMs = (connections: number) => Math.min(2_000, 100 + connections / 5);
/** Confab users for the idle connections: each has this many connections, as a user with a few tabs. */
const CONNECTIONS_PER_USER = 2;

/**
 * Memory per idle connection: the server's RSS after two forced full GCs,
 * read the same way for every server (bench/lib/gc-hook.mjs), with no
 * connection and then with each count open; per connection is the growth
 * over the empty reading divided by the count. Source addresses rotate
 * through 127.0.0.1 to 127.0.0.9 so that 18,000 connections fit in the
 * ephemeral port range. Confab's connections are authenticated users, two
 * connections each; the users are made first, then every server is restarted
 * so that the heap grown by making them does not hide the connections' cost.
 */
export const idle: Scenario = {
  name: 'idle',
  describe: 'server RSS per idle connection after a forced GC, at 10,000 and 18,000 connections',
  headline: 'bytesPerConnection',
  variants: (options: Options): Variant[] => [
    {
      id: 'idle',
      scenario: 'idle',
      title: `idle ${options.connections.map((n) => n.toLocaleString('en')).join(' / ')} connections`,
      params: { connections: options.connections.join(',') },
    },
  ],
  async run(variant, targetName, ctx) {
    const levels = String(variant.params.connections)
      .split(',')
      .map(Number)
      .sort((a, b) => a - b);
    const most = levels[levels.length - 1] ?? 0;
    const target = await startTarget(targetName, {
      announce: (line) => ctx.progress.line(line),
      profileDir: ctx.profileDir,
    });
    const conns: BenchConnection[] = [];
    try {
      const label = `idle ${targetName} run ${ctx.run}`;
      ctx.progress.start(`${label} users`, 1);
      const users = await target.makeUsers(Math.ceil(most / CONNECTIONS_PER_USER));
      // A fresh process on the same data: the heap grown while making users is not counted.
      await target.restart();
      ctx.progress.finish(`${users.length} users, server restarted`);
      const errors = new ErrorTally();
      await sleep(settleMs(most) / 4);
      const empty = await target.server.gcAndRss();
      const extra: Record<string, number> = { rssEmptyBytes: empty };
      const t0 = performance.now();
      ctx.progress.start(label, most);
      for (const level of levels) {
        const from = conns.length;
        const opened = await inBatches(level - from, OPEN_PARALLEL, async (k) => {
          const i = from + k;
          const user = users[i % users.length] as User;
          try {
            const conn = await target.connect({
              token: user.token,
              localAddress: sourceAddress(i),
            });
            ctx.progress.tick();
            return conn;
          } catch (err) {
            errors.add(err);
            return undefined;
          }
        });
        for (const conn of opened) if (conn) conns.push(conn);
        await sleep(settleMs(level));
        const closedEarly = conns.filter((c) => c.closed).length;
        const rss = await target.server.gcAndRss();
        extra[`rssBytes@${level}`] = rss;
        extra[`bytesPerConnection@${level}`] = round((rss - empty) / level, 0);
        extra[`closedEarly@${level}`] = closedEarly;
      }
      const durationS = (performance.now() - t0) / 1000;
      const perConn = extra[`bytesPerConnection@${most}`] ?? Number.NaN;
      ctx.progress.finish(
        `${levels
          .map(
            (l) => `${l}: ${((extra[`bytesPerConnection@${l}`] ?? 0) / 1024).toFixed(1)} KB/conn`,
          )
          .join(', ')}, ${errors.count} errors`,
      );
      if (errors.count > 0) ctx.progress.line(`  errors: ${JSON.stringify(errors.examples)}`);
      extra.bytesPerConnection = perConn;
      return {
        target: targetName,
        run: ctx.run,
        unit: 'connections',
        ops: conns.length,
        durationS: round(durationS),
        throughput: round(conns.length / durationS, 1),
        errors: errors.count + (extra[`closedEarly@${most}`] ?? 0),
        errorKinds: {
          ...errors.kinds,
          ...(extra[`closedEarly@${most}`]
            ? { closedEarly: extra[`closedEarly@${most}`] as number }
            : {}),
        },
        serverCpuMsPerOp: Number.NaN,
        clientCpuMsPerOp: Number.NaN,
        extra,
        adapters: adaptersOf(target),
      };
    } finally {
      await inBatches(conns.length, 500, (i) => conns[i]!.close());
      await target.stop();
    }
  },
  goals(_variant, medians): Goal[] {
    const confab = medians.confab?.extra.bytesPerConnection;
    const floor = medians.floor?.extra.bytesPerConnection;
    if (confab === undefined || floor === undefined) return [];
    const value = confab / floor;
    return [
      {
        name: 'idle bytes/connection vs floor',
        rule: 'confab / floor bytes per connection <= 1.3',
        value,
        limit: 1.3,
        met: value <= 1.3,
      },
    ];
  },
};
