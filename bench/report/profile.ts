/**
 * Summarises a V8 CPU profile (from `--profile`, or `node --cpu-prof`):
 * self time per function, heaviest first, and the share of idle time.
 *   node --import tsx bench/report/profile.ts FILE.cpuprofile [--top 25]
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface ProfileLine {
  name: string;
  where: string;
  selfMs: number;
  share: number;
}

/** Self time per function, summed over every node of the same function. */
export function summarise(profile: Profile): {
  totalMs: number;
  idleMs: number;
  lines: ProfileLine[];
} {
  const selfUs = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    const id = samples[i] as number;
    selfUs.set(id, (selfUs.get(id) ?? 0) + (deltas[i + 1] ?? deltas[i] ?? 0));
  }
  const byFunction = new Map<string, ProfileLine>();
  let totalUs = 0;
  let idleUs = 0;
  for (const node of profile.nodes) {
    const us = selfUs.get(node.id) ?? 0;
    totalUs += us;
    const name = node.callFrame.functionName || '(anonymous)';
    if (name === '(idle)') idleUs += us;
    const url = node.callFrame.url
      .replace(/^file:\/\//, '')
      .replace(/^.*\/(node_modules|src|dist)\//, '$1/');
    const where = url ? `${url}:${node.callFrame.lineNumber + 1}` : '';
    const key = `${name} ${where}`;
    const line = byFunction.get(key) ?? { name, where, selfMs: 0, share: 0 };
    line.selfMs += us / 1000;
    byFunction.set(key, line);
  }
  const busyMs = (totalUs - idleUs) / 1000;
  const lines = [...byFunction.values()]
    .filter((l) => l.name !== '(idle)')
    .sort((a, b) => b.selfMs - a.selfMs)
    .map((l) => ({
      ...l,
      selfMs: Math.round(l.selfMs * 10) / 10,
      share: busyMs ? l.selfMs / busyMs : 0,
    }));
  return { totalMs: totalUs / 1000, idleMs: idleUs / 1000, lines };
}

function main(): void {
  const args = process.argv.slice(2);
  const file = args.find((a) => !a.startsWith('--'));
  const topAt = args.indexOf('--top');
  const top = topAt >= 0 ? Number(args[topAt + 1]) : 25;
  if (!file) {
    process.stderr.write(
      'usage: node --import tsx bench/report/profile.ts FILE.cpuprofile [--top 25]\n',
    );
    process.exit(2);
  }
  const { totalMs, idleMs, lines } = summarise(JSON.parse(readFileSync(file, 'utf8')) as Profile);
  process.stdout.write(
    `profile ${totalMs.toFixed(0)} ms, idle ${idleMs.toFixed(0)} ms (${((100 * idleMs) / totalMs).toFixed(1)}%), busy ${(totalMs - idleMs).toFixed(0)} ms\n`,
  );
  process.stdout.write('  self ms  busy%  function\n');
  for (const line of lines.slice(0, top)) {
    process.stdout.write(
      `${line.selfMs.toFixed(1).padStart(9)}  ${(line.share * 100).toFixed(1).padStart(5)}  ${line.name} ${line.where}\n`,
    );
  }
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '')) main();
