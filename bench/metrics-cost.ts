/**
 * What the Prometheus metrics cost one `flat` case, in CPU, apart from the
 * noise of a whole benchmark: the calls a case makes on the metrics (3
 * frames counted, 3 store calls and 3 bus publishes timed, 3 fan-outs
 * counted with their latency) against adapters that do nothing, with the
 * metrics on and off, alternated. Run: node --import tsx bench/metrics-cost.ts
 */
import { PrometheusMetrics } from '../src/adapters/metrics/prometheus-metrics.js';
import type { Bus } from '../src/core/ports/bus.js';
import type { Store } from '../src/core/ports/store.js';

const CASES = 200_000;
const ROUNDS = 3;

const metrics = new PrometheusMetrics();
const store = {
  join: async () => ({ notice: {} }),
  append: async () => ({ duplicate: false }),
  leave: async () => ({ notice: {} }),
};
const bus = { publish: async () => undefined };
const timedStore = metrics.instrumentStore(store as unknown as Store) as unknown as typeof store;
const timedBus = metrics.instrumentBus(bus as unknown as Bus) as unknown as typeof bus;

async function oneCase(on: boolean): Promise<void> {
  const s = on ? timedStore : store;
  const b = on ? timedBus : bus;
  if (on) for (const type of ['join', 'send', 'leave']) metrics.received(type);
  await s.join();
  await s.append();
  await s.leave();
  for (let i = 0; i < 3; i++) await b.publish();
  const sentAt = new Date().toISOString();
  for (let i = 0; i < 3; i++) if (on) metrics.delivered(1, sentAt);
}

for (let round = 1; round <= ROUNDS; round++) {
  const ns: Record<string, number> = {};
  for (const on of round % 2 ? [false, true] : [true, false]) {
    const start = process.cpuUsage();
    for (let i = 0; i < CASES; i++) await oneCase(on);
    const used = process.cpuUsage(start);
    ns[on ? 'on' : 'off'] = ((used.user + used.system) * 1000) / CASES;
  }
  const extra = (ns.on ?? 0) - (ns.off ?? 0);
  console.log(
    `round ${round}: metrics off ${ns.off?.toFixed(0)} ns, on ${ns.on?.toFixed(0)} ns CPU per case: ${(extra / 1000).toFixed(1)} µs added`,
  );
}
