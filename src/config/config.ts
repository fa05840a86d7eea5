import { existsSync } from 'node:fs';
import type { LimitRules } from '../core/limits.js';
import type { LimitRule } from '../core/ports/limiter.js';

const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Everything the server reads from its environment, validated once at start and frozen. */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  /** Prepended to every Redis key and channel, so that several clusters can share one Redis. */
  redisPrefix: string;
  /** Seconds a node's presence entries outlive its last refresh: a crashed node's users go offline within it. */
  presenceTtlSeconds: number;
  /** PostgreSQL connections per node. */
  pgPoolSize: number;
  /** Milliseconds a PostgreSQL connect or query may take before the store counts as unavailable. */
  pgTimeoutMs: number;
  amqpUrl: string | undefined;
  /** Prepended to every RabbitMQ queue name, so that several deployments (or test runs) share one broker. */
  amqpPrefix: string;
  /** How long a command waits for a bot's answer, in ms, before `command_timeout`. */
  commandTimeoutMs: number;
  /** Commands one bot worker (or, without AMQP_URL, the node) carries out at once. */
  botConcurrency: number;
  /** The stock bot's CSV source; `{symbol}` is replaced by the symbol asked for. */
  stockQuoteUrl: string;
  /** How long the stock bot waits for that source, in ms. */
  stockQuoteTimeoutMs: number;
  /** Undefined on a single node: a secret is then generated into `dataDir`. */
  jwtSecret: string | undefined;
  tokenTtl: string;
  allowGuests: boolean;
  /** Messages per second per user, sustained; 0 turns the limit off. */
  messageRate: number;
  messageBurst: number;
  /** Every count limit's rule; RATE_LIMITS=off leaves them all undefined (off). */
  limits: LimitRules;
  /** Listed words: stored with their letters masked, refused, or let through. */
  wordFilter: 'mask' | 'reject' | 'off';
  /** Links allowed in one message. */
  maxLinks: number;
  /** Host names (and their subdomains) no message may link to, in lower-case ASCII. */
  deniedDomains: string[];
  /** Where offline notifications are posted; undefined sends none. */
  notifyWebhookUrl: string | undefined;
  notifyWebhookSecret: string | undefined;
  /** How long a member must stay away from an unread message before being notified, in ms. */
  notifyAfterMs: number;
  /** Open WebSocket connections per user and per client address; 0 turns a limit off. */
  connectionsPerUser: number;
  connectionsPerIp: number;
  roomsPerConnection: number;
  /** Rooms with more members than this store no joined/left notices; presence says who is there. */
  roomNoticesMaxMembers: number;
  /** Rooms with more connections on a node than this get presence in batches, this often (ms). */
  presenceBatchAbove: number;
  presenceBatchMs: number;
  maxMessageChars: number;
  maxFrameBytes: number;
  /** Bytes waiting to be written to one client before it is disconnected as too slow. */
  sendQueueBytes: number;
  sqliteSync: 'normal' | 'full';
  /** `exclusive`: only this process opens the SQLite file (faster); `normal`: others may too. */
  sqliteLocking: 'exclusive' | 'normal';
  trustProxy: boolean;
  /** Other sites' origins whose pages may open a WebSocket (`*`: any); the server's own always may. */
  allowedOrigins: readonly string[];
  /** Milliseconds a drain (SIGTERM) may take, adapters' close included, before the process exits anyway. */
  shutdownTimeoutMs: number;
  /** Public rooms made on first start, once per store; empty makes none. */
  defaultRooms: readonly string[];
  /** Whether `/metrics` is served and the counters are kept (`METRICS=off` for a benchmark's baseline). */
  metrics: boolean;
  /** Settings read under an old name: one warning line each, logged once the logger exists. */
  deprecations: readonly string[];
  logLevel: LogLevel;
  logFile: string | undefined;
  logFileLevel: LogLevel;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

/** Reads `.env` from the working directory, if there is one; the real environment wins. */
export function loadDotEnv(path = '.env'): void {
  if (existsSync(path)) process.loadEnvFile(path);
}

/** Throws ConfigError with one line naming the first bad variable. */
export function parseConfig(env: Env): Readonly<Config> {
  const read = new Reader(env);
  const databaseUrl = read.url('DATABASE_URL', ['postgres:', 'postgresql:']);
  const jwtSecret = read.optional('JWT_SECRET');
  if (jwtSecret !== undefined && jwtSecret.length < 32) {
    throw new ConfigError('JWT_SECRET must be at least 32 characters long');
  }
  if (databaseUrl && jwtSecret === undefined) {
    throw new ConfigError(
      'JWT_SECRET is required with DATABASE_URL: every node of a cluster must sign with the same key',
    );
  }
  // LOG_OUTPUT and LOG_CONSOLE_LEVEL are the GoChat seed's names, kept for its users.
  const consoleLevel = read.oneOf(
    'LOG_LEVEL',
    LOG_LEVELS,
    read.oneOf('LOG_CONSOLE_LEVEL', LOG_LEVELS, 'info'),
  );
  const outputs = read.list('LOG_OUTPUT', ['stdout', 'file'], ['stdout', 'file']);
  const logFile = outputs.includes('file') ? read.optional('LOG_FILE') : undefined;
  if (read.optional('LOG_OUTPUT')?.includes('file') && logFile === undefined) {
    throw new ConfigError('LOG_FILE must name a file when LOG_OUTPUT includes file');
  }
  const logLevel = outputs.includes('stdout') ? consoleLevel : 'silent';
  const messageRate = read.number('MESSAGE_RATE', 1, 0);
  const messageBurst = read.integer('MESSAGE_BURST', 5, 1);
  const countLimits = read.boolean('RATE_LIMITS', true);
  const connectionsPerUser = read.integer('CONNECTIONS_PER_USER', 16, 0);
  const connectionsPerIp = read.integer('CONNECTIONS_PER_IP', 256, 0);
  const rules: LimitRules = {
    messages: messageRule(messageRate, messageBurst),
    joins: read.rate('JOIN_RATE', '30/1m'),
    typing: read.rate('TYPING_RATE', '5/5s'),
    reads: read.rate('READ_RATE', '4/1s'),
    logins: read.rate('LOGIN_RATE', '10/15m'),
    rooms: read.rate('ROOM_CREATE_RATE', '30/1m'),
    guests: read.rate('GUEST_RATE', '60/1m'),
    signups: read.rate('SIGNUP_RATE', '20/1h'),
  };
  const notifyWebhookUrl = read.url('NOTIFY_WEBHOOK_URL', ['http:', 'https:']);
  const notifyWebhookSecret = read.optional('NOTIFY_WEBHOOK_SECRET');
  if (notifyWebhookUrl && notifyWebhookSecret === undefined) {
    throw new ConfigError(
      'NOTIFY_WEBHOOK_SECRET is required with NOTIFY_WEBHOOK_URL: every call is signed with it',
    );
  }
  const deprecations: string[] = [];
  // SHUTDOWN_GRACE_MS is the name before SHUTDOWN_TIMEOUT; it keeps working for one release.
  let shutdownTimeoutMs = read.milliseconds('SHUTDOWN_TIMEOUT', '10s', 0, 3_600_000);
  if (read.optional('SHUTDOWN_TIMEOUT') === undefined && read.optional('SHUTDOWN_GRACE_MS')) {
    shutdownTimeoutMs = read.integer('SHUTDOWN_GRACE_MS', 10_000, 0);
    deprecations.push('SHUTDOWN_GRACE_MS is deprecated: set SHUTDOWN_TIMEOUT (e.g. 10s) instead');
  }
  return Object.freeze({
    port: read.integer('PORT', 8080, 0, 65535),
    host: read.optional('HOST') ?? '0.0.0.0',
    dataDir: read.optional('DATA_DIR') ?? './data',
    databaseUrl,
    redisUrl: read.url('REDIS_URL', ['redis:', 'rediss:']),
    redisPrefix: read.optional('REDIS_PREFIX') ?? 'confab:',
    presenceTtlSeconds: read.integer('PRESENCE_TTL', 30, 2, 3600),
    pgPoolSize: read.integer('PG_POOL_SIZE', 10, 1, 1000),
    pgTimeoutMs: read.integer('PG_TIMEOUT_MS', 1500, 100, 600_000),
    amqpUrl: read.url('AMQP_URL', ['amqp:', 'amqps:']),
    amqpPrefix: read.optional('AMQP_PREFIX') ?? 'confab.',
    commandTimeoutMs: read.milliseconds('COMMAND_TIMEOUT', '5s', 100, 600_000),
    botConcurrency: read.integer('BOT_CONCURRENCY', 8, 1, 1000),
    stockQuoteUrl:
      read.url('STOCK_QUOTE_URL', ['http:', 'https:']) ??
      'https://stooq.com/q/l/?s={symbol}&f=sd2t2ohlcv&h&e=csv',
    stockQuoteTimeoutMs: read.milliseconds('STOCK_QUOTE_TIMEOUT', '3s', 100, 600_000),
    jwtSecret,
    tokenTtl: read.duration('TOKEN_TTL', '7d'),
    allowGuests: read.boolean('ALLOW_GUESTS', true),
    messageRate,
    messageBurst,
    limits: countLimits ? rules : NO_LIMITS,
    wordFilter: read.oneOf('WORD_FILTER', ['mask', 'reject', 'off'] as const, 'mask'),
    maxLinks: read.integer('MAX_LINKS', 3, 0),
    deniedDomains: read.domains('DENIED_DOMAINS'),
    notifyWebhookUrl,
    notifyWebhookSecret,
    notifyAfterMs: read.millis('NOTIFY_AFTER', '5m'),
    // RATE_LIMITS=off lifts the connection limits too.
    connectionsPerUser: countLimits ? connectionsPerUser : 0,
    connectionsPerIp: countLimits ? connectionsPerIp : 0,
    roomsPerConnection: read.integer('ROOMS_PER_CONNECTION', 100, 1),
    roomNoticesMaxMembers: read.integer('ROOM_NOTICES_MAX_MEMBERS', 100, 0),
    presenceBatchAbove: read.integer('PRESENCE_BATCH_ABOVE', 100, 0),
    presenceBatchMs: read.integer('PRESENCE_BATCH_MS', 1_000, 10, 60_000),
    maxMessageChars: read.integer('MAX_MESSAGE_CHARS', 4000, 1),
    maxFrameBytes: read.integer('MAX_FRAME_BYTES', 64 * 1024, 1024),
    sendQueueBytes: read.integer('SEND_QUEUE_BYTES', 4 * 1024 * 1024, 64 * 1024),
    sqliteSync: read.oneOf('SQLITE_SYNC', ['normal', 'full'] as const, 'normal'),
    sqliteLocking: read.oneOf('SQLITE_LOCKING', ['exclusive', 'normal'] as const, 'exclusive'),
    trustProxy: read.boolean('TRUST_PROXY', false),
    allowedOrigins: read.origins('ALLOWED_ORIGINS'),
    shutdownTimeoutMs,
    defaultRooms: Object.freeze(read.names('DEFAULT_ROOMS', ['general', 'random'])),
    metrics: read.boolean('METRICS', true),
    deprecations: Object.freeze(deprecations),
    logLevel,
    logFile,
    logFileLevel: read.oneOf('LOG_FILE_LEVEL', LOG_LEVELS, consoleLevel),
  });
}

/**
 * MESSAGE_RATE messages a second, counted in whole messages over whole
 * seconds (0.5 is one message per 2 s), with MESSAGE_BURST allowed at once.
 */
function messageRule(rate: number, burst: number): LimitRule | undefined {
  if (rate <= 0) return undefined;
  if (rate >= 1) return { points: Math.round(rate), durationMs: 1000, burst };
  return { points: 1, durationMs: Math.round(1 / rate) * 1000, burst };
}

function hostnameOf(domain: string): string | undefined {
  try {
    return new URL(`http://${domain}`).hostname || undefined;
  } catch {
    return undefined;
  }
}

/** RATE_LIMITS=off: every count limit off at once (content rules stay). */
const NO_LIMITS: LimitRules = Object.freeze({
  messages: undefined,
  joins: undefined,
  typing: undefined,
  reads: undefined,
  logins: undefined,
  rooms: undefined,
  guests: undefined,
  signups: undefined,
});

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

class Reader {
  constructor(private readonly env: Env) {}

  optional(name: string): string | undefined {
    const value = this.env[name]?.trim();
    return value === '' ? undefined : value;
  }

  number(name: string, fallback: number, min: number): number {
    const raw = this.optional(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < min) {
      throw new ConfigError(`${name} must be a number of at least ${min}, got "${raw}"`);
    }
    return value;
  }

  integer(name: string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
    const raw = this.optional(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || value < min || value > max) {
      throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
    }
    return value;
  }

  boolean(name: string, fallback: boolean): boolean {
    const raw = this.optional(name)?.toLowerCase();
    if (raw === undefined) return fallback;
    if (['true', '1', 'yes', 'on'].includes(raw)) return true;
    if (['false', '0', 'no', 'off'].includes(raw)) return false;
    throw new ConfigError(`${name} must be true or false, got "${raw}"`);
  }

  oneOf<T extends string>(name: string, values: readonly T[], fallback: T): T {
    const raw = this.optional(name);
    if (raw === undefined) return fallback;
    if (!(values as readonly string[]).includes(raw)) {
      throw new ConfigError(`${name} must be one of ${values.join(', ')}, got "${raw}"`);
    }
    return raw as T;
  }

  /** A comma-separated subset of `values`. */
  list<T extends string>(name: string, values: readonly T[], fallback: T[]): T[] {
    const raw = this.optional(name);
    if (raw === undefined) return fallback;
    const items = raw.split(',').map((item) => item.trim());
    const bad = items.find((item) => !(values as readonly string[]).includes(item));
    if (bad !== undefined) {
      throw new ConfigError(
        `${name} must be a comma-separated list of ${values.join(', ')}, got "${bad}"`,
      );
    }
    return items as T[];
  }

  url(name: string, protocols: string[]): string | undefined {
    const raw = this.optional(name);
    if (raw === undefined) return undefined;
    let protocol: string;
    try {
      protocol = new URL(raw).protocol;
    } catch {
      throw new ConfigError(`${name} must be a URL (${protocols.join(' or ')}//...)`);
    }
    if (!protocols.includes(protocol)) {
      throw new ConfigError(
        `${name} must start with ${protocols.join(' or ')}//, got ${protocol}//`,
      );
    }
    return raw;
  }

  /** A comma list of origins (`https://chat.example.com`), or `*`; each kept as its canonical origin. */
  origins(name: string): string[] {
    const raw = this.optional(name);
    if (raw === undefined) return [];
    return raw.split(',').map((item) => {
      const entry = item.trim();
      if (entry === '*') return entry;
      try {
        const origin = new URL(entry).origin;
        if (origin !== 'null') return origin;
      } catch {
        // reported below
      }
      throw new ConfigError(
        `${name} must be * or a comma-separated list of origins such as https://chat.example.com, got "${entry}"`,
      );
    });
  }

  /** A count over a span, such as 10/15m (whole seconds: s, m, h or d), or off. */
  rate(name: string, fallback: string): LimitRule | undefined {
    const raw = this.optional(name) ?? fallback;
    if (raw === 'off') return undefined;
    const match = /^(\d+)\s*\/\s*(\d+)\s*(s|m|h|d)$/.exec(raw);
    const points = Number(match?.[1]);
    const durationMs = Number(match?.[2]) * (UNIT_MS[match?.[3] ?? ''] ?? 0);
    if (!match || points < 1 || durationMs < 1000) {
      throw new ConfigError(
        `${name} must be a count over a span such as 10/15m, or off, got "${raw}"`,
      );
    }
    return { points, durationMs };
  }

  /** A span such as 300ms, 30s, 5m or 1h, in milliseconds. */
  millis(name: string, fallback: string): number {
    const raw = this.optional(name) ?? fallback;
    const match = /^(\d+)\s*(ms|s|m|h|d)$/.exec(raw);
    if (!match) {
      throw new ConfigError(`${name} must be a span such as 300ms, 30s or 5m, got "${raw}"`);
    }
    return Number(match[1]) * (UNIT_MS[match[2] as string] as number);
  }

  /** A comma list of host names, kept as a URL would spell them (lower case, punycode). */
  domains(name: string): string[] {
    const raw = this.optional(name);
    if (raw === undefined) return [];
    return raw
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '')
      .map((item) => {
        const host = /^[^\s/:@?#]+$/.test(item) ? hostnameOf(item) : undefined;
        if (!host) {
          throw new ConfigError(`${name} must be a comma list of domain names, got "${item}"`);
        }
        return host;
      });
  }

  /** A short span such as 500ms, 5s or 1m (a bare number is milliseconds), from `min` to `max`. */
  milliseconds(name: string, fallback: string, min: number, max: number): number {
    const raw = this.optional(name) ?? fallback;
    const match = /^(\d+)\s*(ms|s|m)?$/.exec(raw);
    const unit = (match?.[2] ?? 'ms') as 'ms' | 's' | 'm';
    const value = match ? Number(match[1]) * { ms: 1, s: 1_000, m: 60_000 }[unit] : NaN;
    if (!(value >= min && value <= max)) {
      throw new ConfigError(
        `${name} must be a duration from ${min} ms to ${max / 1000} s, such as 500ms, 5s or 1m, got "${raw}"`,
      );
    }
    return value;
  }

  /** A comma-separated list of names, blanks dropped; set but empty means none. */
  names(name: string, fallback: string[]): string[] {
    const raw = this.env[name];
    if (raw === undefined) return fallback;
    const items = raw
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '');
    const tooLong = items.find((item) => item.length > 64);
    if (tooLong !== undefined) {
      throw new ConfigError(`${name} must list names of at most 64 characters, got "${tooLong}"`);
    }
    return [...new Set(items)];
  }

  /** A span such as 30s, 15m, 12h, 7d or 2w, as jose reads it. */
  duration(name: string, fallback: string): string {
    const raw = this.optional(name) ?? fallback;
    if (!/^\d+\s*(s|m|h|d|w)$/.test(raw)) {
      throw new ConfigError(`${name} must be a duration such as 30m, 12h or 7d, got "${raw}"`);
    }
    return raw;
  }
}
