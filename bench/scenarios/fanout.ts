import type { BenchConnection } from '../lib/clients.js';
import { ErrorTally, Meter, sleep, sourceAddress } from '../lib/measure.js';
import { round, Samples } from '../lib/samples.js';
import { inBatches, type RunningTarget, startTarget, type TargetName } from '../lib/targets.js';
import type {
  Goal,
  Medians,
  Options,
  RunContext,
  RunResult,
  Scenario,
  Variant,
} from '../lib/types.js';
import { adaptersOf } from './cases.js';

/** Connections opened (and joined) at once while a room fills. */
const FILL_PARALLEL = 64;
/** How long the last deliveries may take after the last send before the rest count as lost. */
const DRAIN_TIMEOUT_MS = 60_000;

/** Messages sent by default: enough for about half a million deliveries, at least 100. */
export function defaultMessages(members: number): number {
  return Math.max(100, Math.round(500_000 / members));
}

/**
 * N members in one room, each its own user and connection; one of them sends
 * with at most `window` messages in flight (a message is done when its sender
 * has its own copy back). Every member, the sender included, receives every
 * message; latency is receive time minus the send time in the payload (one
 * process, one clock). Filling the room is timed too, untimed by the throughput.
 */
export const fanout: Scenario = {
  name: 'fanout',
  describe:
    'N members in one room, one sender with a window of 4; deliveries/s and end-to-end latency',
  headline: 'throughput',
  variants: (options: Options): Variant[] =>
    options.members.map((members) => ({
      id: `fanout:${members}`,
      scenario: 'fanout',
      title: `fanout ${members.toLocaleString('en')} members`,
      params: {
        members,
        messages: options.messages ?? defaultMessages(members),
        window: options.window,
      },
    })),
  run: async (variant, targetName, ctx) => {
    const target = await startTarget(targetName, {
      announce: (line) => ctx.progress.line(line),
      profileDir: ctx.profileDir,
    });
    try {
      return await runFanout(target, [target], variant, ctx);
    } finally {
      await target.stop();
    }
  },
  goals: (variant, medians) => fanoutGoals(variant, medians),
};

export function fanoutGoals(
  variant: Variant,
  medians: Partial<Record<TargetName, Medians>>,
): Goal[] {
  const confab = medians.confab;
  const floor = medians.floor;
  if (!confab || !floor) return [];
  const rate = confab.throughput / floor.throughput;
  const p99 = (confab.latency?.p99 ?? Number.NaN) / (floor.latency?.p99 ?? Number.NaN);
  return [
    {
      name: `${variant.id} deliveries/s vs floor`,
      rule: 'confab / floor deliveries/s >= 0.85',
      value: rate,
      limit: 0.85,
      met: rate >= 0.85,
    },
    {
      name: `${variant.id} p99 vs floor`,
      rule: 'confab p99 / floor p99 <= 1.2',
      value: p99,
      limit: 1.2,
      met: p99 <= 1.2,
    },
  ];
}

/**
 * The fan-out workload. `sendVia` is where the sender connects and `receiveVia`
 * where the other members do (two nodes in the cluster scenario, one here).
 */
export async function runFanout(
  sendVia: RunningTarget,
  receiveVia: RunningTarget[],
  variant: Variant,
  ctx: RunContext,
): Promise<RunResult> {
  const members = Number(variant.params.members);
  const messages = Number(variant.params.messages);
  const window = Number(variant.params.window);
  const users = await sendVia.makeUsers(members);
  const roomId = await sendVia.makeRoom(users[0]!);

  const samples = new Samples();
  const errors = new ErrorTally();
  let deliveries = 0;
  let lastDelivery = 0;
  let measuring = false;
  const onMessage = (_room: string, text: string) => {
    if (!text.startsWith('f:')) return; // joined notices and warm-up
    const sent = Number(text.slice(2));
    const now = performance.now();
    if (!measuring) return;
    samples.add(now - sent);
    deliveries += 1;
    lastDelivery = now;
    ctx.progress.tick();
  };

  const label = `${variant.id} ${sendVia.name} run ${ctx.run}`;
  ctx.progress.start(`${label} filling`, members);
  const fill0 = performance.now();
  const conns = await inBatches(members, FILL_PARALLEL, async (i): Promise<BenchConnection> => {
    const via = i === 0 ? sendVia : (receiveVia[i % receiveVia.length] as RunningTarget);
    const conn = await via.connect({ token: users[i]!.token, localAddress: sourceAddress(i) });
    conn.onMessage = onMessage;
    await conn.join(roomId);
    ctx.progress.tick();
    return conn;
  });
  const fillS = (performance.now() - fill0) / 1000;
  ctx.progress.finish(`${members} joined in ${fillS.toFixed(2)} s`);
  // Let the joined notices and presence of the fill drain before measuring.
  await sleep(Math.min(500, 50 + members / 4));

  const sender = conns[0]!;
  const nonce = `${process.pid}-${ctx.run}-${Date.now().toString(36)}`;
  const warm = Math.min(20, messages);
  await sendWindow(sender, roomId, warm, window, `w${nonce}`, (n) => `w:${n}`, errors);
  await sleep(Math.min(300, 50 + members / 4));

  const meter = new Meter(
    sendVia === receiveVia[0]
      ? [sendVia.server]
      : [sendVia.server, ...receiveVia.map((t) => t.server)],
  );
  const expected = messages * members;
  ctx.progress.start(label, expected);
  measuring = true;
  meter.start();
  const t0 = performance.now();
  await sendWindow(sender, roomId, messages, window, nonce, () => `f:${performance.now()}`, errors);
  const deadline = performance.now() + DRAIN_TIMEOUT_MS;
  while (deliveries < expected && performance.now() < deadline) await sleep(5);
  const measured = meter.stop();
  measuring = false;
  // Time to the last delivery, not to the moment the poll noticed it.
  const durationS = deliveries > 0 ? (lastDelivery - t0) / 1000 : measured.durationS;
  errors.addMissing(
    'lost',
    expected - deliveries,
    `${expected - deliveries} deliveries missing after ${DRAIN_TIMEOUT_MS} ms`,
  );
  const latency = samples.summary();
  ctx.progress.finish(
    `${Math.round(deliveries / durationS).toLocaleString('en')} deliveries/s, p99 ${latency.p99} ms, ${errors.count} errors`,
  );
  if (errors.count > 0) ctx.progress.line(`  errors: ${JSON.stringify(errors.examples)}`);
  await Promise.all(conns.map((conn) => conn.close().catch(() => {})));
  return {
    target: sendVia.name,
    run: ctx.run,
    unit: 'deliveries',
    ops: deliveries,
    durationS: round(durationS),
    throughput: round(deliveries / durationS, 1),
    latency,
    distribution: samples.distribution(),
    errors: errors.count,
    errorKinds: errors.kinds,
    serverCpuMsPerOp: round(measured.serverCpuMs / Math.max(1, deliveries), 5),
    clientCpuMsPerOp: round(measured.clientCpuMs / Math.max(1, deliveries), 5),
    extra: { members, messages, window, fillS: round(fillS) },
    adapters: adaptersOf(sendVia),
  };
}

/** Sends `count` messages with at most `window` awaiting their echo. */
async function sendWindow(
  sender: BenchConnection,
  roomId: string,
  count: number,
  window: number,
  nonce: string,
  text: (n: number) => string,
  errors: ErrorTally,
): Promise<void> {
  let next = 0;
  const lane = async () => {
    for (let n = next++; n < count; n = next++) {
      try {
        await sender.send(roomId, text(n), `${nonce}-${n}`);
      } catch (err) {
        errors.add(err);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(window, count) }, lane));
}
