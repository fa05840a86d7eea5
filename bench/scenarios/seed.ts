import type { Goal, Options, Scenario, Variant } from '../lib/types.js';
import { runCases } from './cases.js';

/**
 * GoChat Service's published case, as its own client runs it: per case, one
 * WebSocket and two rooms; in each, join, send, sleep 5 ms, leave. Confab's
 * client also waits for its own message to come back. 10 ms of every case is
 * sleep, so 20 x 1,500 cases hold 15 s of sleep per worker.
 */
export const seed: Scenario = {
  name: 'seed',
  describe: "GoChat's case: connect; 2 rooms x (join, send + own echo, sleep 5 ms, leave); close",
  headline: 'durationS',
  variants: (options: Options): Variant[] => [
    {
      id: options.backend === 'postgres' ? 'seed:postgres' : 'seed',
      scenario: 'seed',
      title: `seed ${options.workers} x ${options.cases}${options.backend === 'postgres' ? ' (Confab on PostgreSQL + Redis)' : ''}`,
      params: {
        workers: options.workers,
        cases: options.cases,
        rooms: 2,
        sleepMs: 5,
        backend: options.backend,
      },
    },
  ],
  run: (variant, target, ctx) =>
    runCases(target, { rooms: 2, sleepMs: 5 }, ctx, `${variant.id} ${target} run ${ctx.run}`),
  goals(variant, medians): Goal[] {
    const confab = medians.confab;
    const floor = medians.floor;
    if (!confab || !floor) return [];
    // The targets of the one-store issue: PostgreSQL + Redis may cost more than one file.
    const postgres = variant.params.backend === 'postgres';
    const timeLimit = postgres ? 2.5 : 1.5;
    const time = confab.durationS / floor.durationS;
    const goals: Goal[] = [
      {
        name: 'seed time vs floor',
        rule: `confab time / floor time <= ${timeLimit}`,
        value: time,
        limit: timeLimit,
        met: time <= timeLimit,
      },
    ];
    if (postgres) {
      const cpu = confab.serverCpuMsPerOp / floor.serverCpuMsPerOp;
      goals.push({
        name: 'seed server CPU vs floor',
        rule: 'confab / floor server CPU per case <= 4',
        value: cpu,
        limit: 4,
        met: cpu <= 4,
      });
    }
    return goals;
  },
};
