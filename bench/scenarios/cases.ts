import type { BenchConnection } from '../lib/clients.js';
import { ErrorTally, Meter, sleep, sourceAddress } from '../lib/measure.js';
import { round, Samples } from '../lib/samples.js';
import {
  backendMismatch,
  isConfab,
  type RunningTarget,
  startTarget,
  type TargetName,
  type User,
} from '../lib/targets.js';
import { type RunContext, type RunResult, Skip } from '../lib/types.js';

/** The shape of one case: which rooms, and how long to sleep after each send. */
export interface CaseShape {
  rooms: number;
  sleepMs: number;
}

const MESSAGE = 'Hello from the benchmark';

/**
 * `workers` loops run side by side, each `cases` times: open a WebSocket;
 * for each of the worker's rooms: join (wait for the reply), send (wait for
 * the own message to come back, and on Confab the ack), sleep, leave (wait);
 * close. A worker reuses one user (one token) and its own rooms. A failed
 * case is counted, its connection dropped, and the worker goes on.
 */
export async function runCases(
  targetName: TargetName,
  shape: CaseShape,
  ctx: RunContext,
  label: string,
): Promise<RunResult> {
  const { options } = ctx;
  const target = await startTarget(targetName, {
    announce: (line) => ctx.progress.line(line),
    profileDir: ctx.profileDir,
    backend: isConfab(targetName) ? options.backend : 'embedded',
  });
  try {
    const mismatch = isConfab(targetName)
      ? backendMismatch(target.server, options.backend)
      : undefined;
    if (mismatch) throw new Skip(mismatch);
    const users = await target.makeUsers(options.workers);
    const rooms: string[][] = [];
    for (const user of users) {
      const mine: string[] = [];
      for (let r = 0; r < shape.rooms; r++) mine.push(await target.makeRoom(user));
      rooms.push(mine);
    }
    const nonce = `${process.pid}-${ctx.run}-${Date.now().toString(36)}`;
    const warmup = Math.min(options.warmup, options.cases);
    if (warmup > 0) {
      await loop(
        target,
        users,
        rooms,
        shape,
        warmup,
        `w${nonce}`,
        new Samples(),
        new ErrorTally(),
        () => {},
      );
    }
    const samples = new Samples();
    const errors = new ErrorTally();
    const meter = new Meter([target.server]);
    ctx.progress.start(label, options.workers * options.cases);
    meter.start();
    await loop(target, users, rooms, shape, options.cases, nonce, samples, errors, () =>
      ctx.progress.tick(),
    );
    const { durationS, serverCpuMs, clientCpuMs } = meter.stop();
    const ops = samples.count;
    const latency = samples.summary();
    ctx.progress.finish(
      `${durationS.toFixed(2)} s, ${Math.round(ops / durationS).toLocaleString('en')} cases/s, p99 ${latency.p99} ms, ${errors.count} errors`,
    );
    if (errors.count > 0) ctx.progress.line(`  errors: ${JSON.stringify(errors.examples)}`);
    return {
      target: targetName,
      run: ctx.run,
      unit: 'cases',
      ops,
      durationS: round(durationS),
      throughput: round(ops / durationS, 1),
      latency,
      distribution: samples.distribution(),
      errors: errors.count,
      errorKinds: errors.kinds,
      serverCpuMsPerOp: round(serverCpuMs / Math.max(1, ops), 4),
      clientCpuMsPerOp: round(clientCpuMs / Math.max(1, ops), 4),
      extra: { workers: options.workers, casesPerWorker: options.cases },
      adapters: adaptersOf(target),
    };
  } finally {
    await target.stop();
  }
}

async function loop(
  target: RunningTarget,
  users: User[],
  rooms: string[][],
  shape: CaseShape,
  cases: number,
  nonce: string,
  samples: Samples,
  errors: ErrorTally,
  tick: () => void,
): Promise<void> {
  await Promise.all(
    users.map(async (user, w) => {
      const myRooms = rooms[w] as string[];
      const localAddress = sourceAddress(w);
      for (let c = 0; c < cases; c++) {
        const t0 = performance.now();
        let conn: BenchConnection | undefined;
        try {
          conn = await target.connect({ token: user.token, localAddress });
          for (let r = 0; r < myRooms.length; r++) {
            const roomId = myRooms[r] as string;
            await conn.join(roomId);
            await conn.send(roomId, MESSAGE, `${nonce}-${w}-${c}-${r}`);
            if (shape.sleepMs > 0) await sleep(shape.sleepMs);
            await conn.leave(roomId);
          }
          void conn.close();
          samples.add(performance.now() - t0);
        } catch (err) {
          errors.add(err);
          if (conn) void conn.close();
        }
        tick();
      }
    }),
  );
}

export function adaptersOf(target: RunningTarget): Record<string, string> | undefined {
  const { store, bus, presence } = target.server.listening;
  if (store === undefined) return undefined;
  return { store: String(store), bus: String(bus), presence: String(presence) };
}
