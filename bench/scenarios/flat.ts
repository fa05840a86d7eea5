import type { Goal, Options, Scenario, Variant } from '../lib/types.js';
import { runCases } from './cases.js';

/** The seed's case without sleeps and with one room: connect, join, send + own echo, leave, close. */
export const flat: Scenario = {
  name: 'flat',
  describe: 'connect, join, send + own echo, leave, close; one room, no sleeps',
  headline: 'throughput',
  variants: (options: Options): Variant[] => [
    {
      id: 'flat',
      scenario: 'flat',
      title: `flat ${options.workers} x ${options.cases}`,
      params: {
        workers: options.workers,
        cases: options.cases,
        rooms: 1,
        sleepMs: 0,
        backend: options.backend,
      },
    },
  ],
  run: (variant, target, ctx) =>
    runCases(target, { rooms: 1, sleepMs: 0 }, ctx, `${variant.id} ${target} run ${ctx.run}`),
  goals(variant, medians): Goal[] {
    const goals: Goal[] = [];
    const confab = medians.confab;
    if (!confab) return goals;
    const postgres = variant.params.backend === 'postgres';
    if (medians.floor) {
      const limit = postgres ? 0.35 : 0.7;
      const value = confab.throughput / medians.floor.throughput;
      goals.push({
        name: 'flat cases/s vs floor',
        rule: `confab / floor cases/s >= ${limit}`,
        value,
        limit,
        met: value >= limit,
      });
    }
    if (medians.socketio && !postgres) {
      const value = confab.throughput / medians.socketio.throughput;
      goals.push({
        name: 'flat cases/s vs Socket.IO',
        rule: 'confab / socketio cases/s >= 1.2',
        value,
        limit: 1.2,
        met: value >= 1.2,
      });
    }
    return goals;
  },
};
