import { TARGET_NAMES, type TargetName } from './targets.js';
import { type Options, SCENARIO_NAMES, type ScenarioName } from './types.js';

export const USAGE = `npm run bench -- [scenario ...] [flags]

Scenarios (default: seed):
  seed      GoChat's case: connect; 2 rooms x (join, send + own echo, sleep 5 ms, leave); close
  flat      the same case with one room and no sleeps
  fanout    N members in one room, one sender, window of 4 (N = 1,000 and 5,000)
  idle      server RSS per idle connection at 10,000 and 18,000 connections
  store     messages stored per second (SQLite; PostgreSQL with DATABASE_URL)
  cluster   two nodes through Redis (needs DATABASE_URL and REDIS_URL)
  all       every one of them

Flags:
  --vs floor,socketio   also run these peers, alternating with Confab; prints medians and ratios
                        (nometrics: Confab with METRICS=off, to measure what metrics cost)
  --runs N              runs of each target (default 3 with --vs, else 1); medians are reported
  --workers N           seed/flat workers (default 20)
  --cases N             seed/flat cases per worker (default 1500)
  --warmup N            untimed cases per worker first (default 20)
  --members A,B         fanout room sizes (default 1000,5000)
  --messages N          fanout/cluster messages, store messages per sender
  --window N            fanout messages in flight (default 4; store uses 4x)
  --connections A,B     idle connection counts (default 10000,18000)
  --senders N           store senders, one room each (default 20)
  --backend B           embedded (default) or postgres: Confab on DATABASE_URL + REDIS_URL
  --report html|svg|none  picture of the run (default html)
  --out DIR             where results go (default bench-results)
  --json                print the JSON document on stdout (the table goes to stderr)
  --profile             run servers with --cpu-prof; profiles go to OUT/profiles
  --quiet               no progress output
`;

export class UsageError extends Error {}

export function parseArgs(argv: readonly string[]): Options {
  const scenarios: ScenarioName[] = [];
  const flags = new Map<string, string>();
  const booleans = new Set(['json', 'quiet', 'profile', 'help']);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg.startsWith('--')) {
      const [name, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
      if (booleans.has(name)) {
        flags.set(name, inline ?? 'true');
        continue;
      }
      const value = inline ?? argv[++i];
      if (value === undefined) throw new UsageError(`--${name} needs a value`);
      flags.set(name, value);
    } else if (arg === 'all') {
      scenarios.push(...SCENARIO_NAMES);
    } else if ((SCENARIO_NAMES as readonly string[]).includes(arg)) {
      scenarios.push(arg as ScenarioName);
    } else {
      throw new UsageError(`unknown scenario "${arg}"`);
    }
  }
  if (flags.has('help')) throw new UsageError('');
  const known = new Set([
    ...booleans,
    'vs',
    'runs',
    'workers',
    'cases',
    'warmup',
    'members',
    'messages',
    'window',
    'connections',
    'senders',
    'backend',
    'report',
    'out',
  ]);
  for (const name of flags.keys())
    if (!known.has(name)) throw new UsageError(`unknown flag --${name}`);

  const vs = list(flags.get('vs'), []).map((name) => {
    if (!(TARGET_NAMES as readonly string[]).includes(name) || name === 'confab') {
      throw new UsageError(`--vs takes floor, socketio and/or nometrics, got "${name}"`);
    }
    return name as TargetName;
  });
  const backend = flags.get('backend') ?? 'embedded';
  if (backend !== 'embedded' && backend !== 'postgres')
    throw new UsageError('--backend is embedded or postgres');
  const report = flags.get('report') ?? 'html';
  if (report !== 'html' && report !== 'svg' && report !== 'none')
    throw new UsageError('--report is html, svg or none');
  const messages = flags.get('messages');
  return {
    scenarios: scenarios.length ? [...new Set(scenarios)] : ['seed'],
    vs: [...new Set(vs)],
    runs: whole('runs', flags.get('runs'), vs.length ? 3 : 1, 1),
    workers: whole('workers', flags.get('workers'), 20, 1),
    cases: whole('cases', flags.get('cases'), 1500, 1),
    warmup: whole('warmup', flags.get('warmup'), 20, 0),
    members: list(flags.get('members'), ['1000', '5000']).map((v) => whole('members', v, 0, 2)),
    messages: messages === undefined ? undefined : whole('messages', messages, 0, 1),
    window: whole('window', flags.get('window'), 4, 1),
    connections: list(flags.get('connections'), ['10000', '18000']).map((v) =>
      whole('connections', v, 0, 1),
    ),
    senders: whole('senders', flags.get('senders'), 20, 1),
    backend,
    report,
    out: flags.get('out') ?? 'bench-results',
    json: flags.get('json') === 'true',
    quiet: flags.get('quiet') === 'true',
    profile: flags.get('profile') === 'true',
  };
}

function list(raw: string | undefined, fallback: string[]): string[] {
  if (raw === undefined) return fallback;
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function whole(name: string, raw: string | undefined, fallback: number, min: number): number {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min)
    throw new UsageError(`--${name} must be a whole number of at least ${min}, got "${raw}"`);
  return Number(raw);
}
