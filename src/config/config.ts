import { existsSync } from 'node:fs';
import type { BotSettings } from '../bots/registry.js';
import type { ChatLimits } from '../core/chat.js';
import type { ContentPolicy } from '../core/content-rules.js';
import type { PresencePolicy } from '../core/delivery/room-feed.js';
import type { LimitRules } from '../core/limits.js';
import type { LimitRule } from '../core/ports/limiter.js';
import { ConfigError, type Env, EnvReader } from './env-reader.js';

const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * Everything the server reads from its environment, validated once at start
 * and frozen, grouped by the component that uses it: each group is handed to
 * its component whole (`config.chat` to Chat, `config.transport` to the
 * WebSocket gateway...). A group that is `undefined` is a service not
 * configured: the embedded default stands in.
 */
export interface Config {
  /** HTTP and WebSocket: where they listen and what they accept. */
  transport: TransportConfig;
  /** The embedded store's folder: its SQLite file, and the JWT secret generated when none is set. */
  dataDir: string;
  sqlite: SqliteConfig;
  /** DATABASE_URL: PostgreSQL instead of SQLite. */
  postgres: PostgresConfig | undefined;
  /** REDIS_URL: the bus, presence, count limits and notification claims across nodes. */
  redis: RedisConfig | undefined;
  /** AMQP_URL: bot commands go to `npm run bot` workers over RabbitMQ. */
  amqp: AmqpConfig | undefined;
  auth: AuthConfig;
  chat: ChatLimits;
  /** Presence batching in big rooms. */
  delivery: PresencePolicy;
  /** Every count limit's rule; RATE_LIMITS=off leaves them all undefined (off). */
  limits: LimitRules;
  content: ContentPolicy;
  /** NOTIFY_WEBHOOK_URL: offline notification. */
  notify: NotifyConfig | undefined;
  commands: CommandsConfig;
  /** What the bots themselves need (the stock bot's source). */
  bots: BotSettings;
  log: LogConfig;
  /** Milliseconds a drain (SIGTERM) may take, adapters' close included, before the process exits anyway. */
  shutdownTimeoutMs: number;
  /** Public rooms made on first start, once per store; empty makes none. */
  defaultRooms: readonly string[];
  /** Whether `/metrics` is served and the counters are kept (`METRICS=off` for a benchmark's baseline). */
  metrics: boolean;
  /** Settings read under an old name: one warning line each, logged once the logger exists. */
  deprecations: readonly string[];
}

export interface TransportConfig {
  port: number;
  host: string;
  /** Take the client address from X-Forwarded-For. */
  trustProxy: boolean;
  /** Largest WebSocket frame and HTTP body, in bytes. */
  maxFrameBytes: number;
  allowGuests: boolean;
  /** Other sites' origins whose pages may open a WebSocket (`*`: any); the server's own always may. */
  allowedOrigins: readonly string[];
  /** Open WebSocket connections per user and per client address, per node; 0 turns a limit off. */
  connectionsPerUser: number;
  connectionsPerIp: number;
  roomsPerConnection: number;
  /** Bytes waiting to be written to one client before it is disconnected as too slow. */
  sendQueueBytes: number;
}

export interface SqliteConfig {
  sync: 'normal' | 'full';
  /** `exclusive`: only this process opens the SQLite file (faster); `normal`: others may too. */
  locking: 'exclusive' | 'normal';
}

export interface PostgresConfig {
  url: string;
  /** PostgreSQL connections per node. */
  poolSize: number;
  /** Milliseconds a connect or query may take before the store counts as unavailable. */
  timeoutMs: number;
}

export interface RedisConfig {
  url: string;
  /** Prepended to every Redis key and channel, so that several clusters can share one Redis. */
  prefix: string;
  /** Seconds a node's presence entries outlive its last refresh: a crashed node's users go offline within it. */
  presenceTtlSeconds: number;
}

export interface AmqpConfig {
  url: string;
  /** Prepended to every RabbitMQ queue name, so that several deployments (or test runs) share one broker. */
  prefix: string;
}

export interface AuthConfig {
  /** Undefined on a single node: a secret is then generated into `dataDir`. */
  jwtSecret: string | undefined;
  tokenTtl: string;
}

export interface NotifyConfig {
  webhookUrl: string;
  webhookSecret: string;
  /** How long a member must stay away from an unread message before being notified, in ms. */
  afterMs: number;
}

export interface CommandsConfig {
  /** How long a command waits for a bot's answer, in ms, before `command_timeout`. */
  timeoutMs: number;
  /** Commands one bot worker (or, without AMQP_URL, the node) carries out at once. */
  concurrency: number;
}

export interface LogConfig {
  /** stdout's level (`silent` when LOG_OUTPUT leaves stdout out). */
  level: LogLevel;
  file: string | undefined;
  fileLevel: LogLevel;
}

/** Reads `.env` from the working directory, if there is one; the real environment wins. */
export function loadDotEnv(path = '.env'): void {
  if (existsSync(path)) process.loadEnvFile(path);
}

/** Throws ConfigError with one line naming the first bad variable. */
export function parseConfig(env: Env): Readonly<Config> {
  const read = new EnvReader(env);
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
  const log = logConfig(read);
  const countLimits = read.boolean('RATE_LIMITS', true);
  const rules: LimitRules = {
    messages: messageRule(read.number('MESSAGE_RATE', 1, 0), read.integer('MESSAGE_BURST', 5, 1)),
    joins: read.rate('JOIN_RATE', '30/1m'),
    typing: read.rate('TYPING_RATE', '5/5s'),
    reads: read.rate('READ_RATE', '4/1s'),
    logins: read.rate('LOGIN_RATE', '10/15m'),
    rooms: read.rate('ROOM_CREATE_RATE', '30/1m'),
    guests: read.rate('GUEST_RATE', '60/1m'),
    signups: read.rate('SIGNUP_RATE', '20/1h'),
  };
  const connectionsPerUser = read.integer('CONNECTIONS_PER_USER', 16, 0);
  const connectionsPerIp = read.integer('CONNECTIONS_PER_IP', 256, 0);
  const notifyWebhookUrl = read.url('NOTIFY_WEBHOOK_URL', ['http:', 'https:']);
  const notifyWebhookSecret = read.optional('NOTIFY_WEBHOOK_SECRET');
  const notifyAfterMs = read.millis('NOTIFY_AFTER', '5m');
  if (notifyWebhookUrl && notifyWebhookSecret === undefined) {
    throw new ConfigError(
      'NOTIFY_WEBHOOK_SECRET is required with NOTIFY_WEBHOOK_URL: every call is signed with it',
    );
  }
  // Read whether or not their service is configured, so that a bad value is reported all the same.
  const redisUrl = read.url('REDIS_URL', ['redis:', 'rediss:']);
  const redisPrefix = read.optional('REDIS_PREFIX') ?? 'confab:';
  const presenceTtlSeconds = read.integer('PRESENCE_TTL', 30, 2, 3600);
  const pgPoolSize = read.integer('PG_POOL_SIZE', 10, 1, 1000);
  const pgTimeoutMs = read.integer('PG_TIMEOUT_MS', 1500, 100, 600_000);
  const amqpUrl = read.url('AMQP_URL', ['amqp:', 'amqps:']);
  const amqpPrefix = read.optional('AMQP_PREFIX') ?? 'confab.';
  const deprecations: string[] = [];
  // SHUTDOWN_GRACE_MS is the name before SHUTDOWN_TIMEOUT; it keeps working for one release.
  let shutdownTimeoutMs = read.milliseconds('SHUTDOWN_TIMEOUT', '10s', 0, 3_600_000);
  if (read.optional('SHUTDOWN_TIMEOUT') === undefined && read.optional('SHUTDOWN_GRACE_MS')) {
    shutdownTimeoutMs = read.integer('SHUTDOWN_GRACE_MS', 10_000, 0);
    deprecations.push('SHUTDOWN_GRACE_MS is deprecated: set SHUTDOWN_TIMEOUT (e.g. 10s) instead');
  }
  return deepFreeze({
    transport: {
      port: read.integer('PORT', 8080, 0, 65535),
      host: read.optional('HOST') ?? '0.0.0.0',
      trustProxy: read.boolean('TRUST_PROXY', false),
      maxFrameBytes: read.integer('MAX_FRAME_BYTES', 64 * 1024, 1024),
      allowGuests: read.boolean('ALLOW_GUESTS', true),
      allowedOrigins: read.origins('ALLOWED_ORIGINS'),
      // RATE_LIMITS=off lifts the connection limits too.
      connectionsPerUser: countLimits ? connectionsPerUser : 0,
      connectionsPerIp: countLimits ? connectionsPerIp : 0,
      roomsPerConnection: read.integer('ROOMS_PER_CONNECTION', 100, 1),
      sendQueueBytes: read.integer('SEND_QUEUE_BYTES', 4 * 1024 * 1024, 64 * 1024),
    },
    dataDir: read.optional('DATA_DIR') ?? './data',
    sqlite: {
      sync: read.oneOf('SQLITE_SYNC', ['normal', 'full'] as const, 'normal'),
      locking: read.oneOf('SQLITE_LOCKING', ['exclusive', 'normal'] as const, 'exclusive'),
    },
    postgres: databaseUrl
      ? { url: databaseUrl, poolSize: pgPoolSize, timeoutMs: pgTimeoutMs }
      : undefined,
    redis: redisUrl ? { url: redisUrl, prefix: redisPrefix, presenceTtlSeconds } : undefined,
    amqp: amqpUrl ? { url: amqpUrl, prefix: amqpPrefix } : undefined,
    auth: { jwtSecret, tokenTtl: read.duration('TOKEN_TTL', '7d') },
    chat: {
      maxMessageChars: read.integer('MAX_MESSAGE_CHARS', 4000, 1),
      noticesMaxMembers: read.integer('ROOM_NOTICES_MAX_MEMBERS', 100, 0),
    },
    delivery: {
      batchAbove: read.integer('PRESENCE_BATCH_ABOVE', 100, 0),
      batchMs: read.integer('PRESENCE_BATCH_MS', 1_000, 10, 60_000),
    },
    limits: countLimits ? rules : NO_LIMITS,
    content: {
      wordFilter: read.oneOf('WORD_FILTER', ['mask', 'reject', 'off'] as const, 'mask'),
      maxLinks: read.integer('MAX_LINKS', 3, 0),
      deniedDomains: read.domains('DENIED_DOMAINS'),
    },
    notify:
      notifyWebhookUrl && notifyWebhookSecret !== undefined
        ? {
            webhookUrl: notifyWebhookUrl,
            webhookSecret: notifyWebhookSecret,
            afterMs: notifyAfterMs,
          }
        : undefined,
    commands: {
      timeoutMs: read.milliseconds('COMMAND_TIMEOUT', '5s', 100, 600_000),
      concurrency: read.integer('BOT_CONCURRENCY', 8, 1, 1000),
    },
    bots: {
      stock: {
        quoteUrl:
          read.url('STOCK_QUOTE_URL', ['http:', 'https:']) ??
          'https://stooq.com/q/l/?s={symbol}&f=sd2t2ohlcv&h&e=csv',
        timeoutMs: read.milliseconds('STOCK_QUOTE_TIMEOUT', '3s', 100, 600_000),
      },
    },
    log,
    shutdownTimeoutMs,
    defaultRooms: read.names('DEFAULT_ROOMS', ['general', 'random']),
    metrics: read.boolean('METRICS', true),
    deprecations,
  });
}

/** LOG_LEVEL, LOG_FILE, LOG_FILE_LEVEL, and the GoChat seed's LOG_OUTPUT and LOG_CONSOLE_LEVEL, kept for its users. */
function logConfig(read: EnvReader): LogConfig {
  const consoleLevel = read.oneOf(
    'LOG_LEVEL',
    LOG_LEVELS,
    read.oneOf('LOG_CONSOLE_LEVEL', LOG_LEVELS, 'info'),
  );
  const outputs = read.list('LOG_OUTPUT', ['stdout', 'file'], ['stdout', 'file']);
  const file = outputs.includes('file') ? read.optional('LOG_FILE') : undefined;
  if (read.optional('LOG_OUTPUT')?.includes('file') && file === undefined) {
    throw new ConfigError('LOG_FILE must name a file when LOG_OUTPUT includes file');
  }
  return {
    level: outputs.includes('stdout') ? consoleLevel : 'silent',
    file,
    fileLevel: read.oneOf('LOG_FILE_LEVEL', LOG_LEVELS, consoleLevel),
  };
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

/** RATE_LIMITS=off: every count limit off at once (content rules stay). */
const NO_LIMITS: LimitRules = {
  messages: undefined,
  joins: undefined,
  typing: undefined,
  reads: undefined,
  logins: undefined,
  rooms: undefined,
  guests: undefined,
  signups: undefined,
};

/** Frozen through every group, so that no component can change what another reads. */
function deepFreeze<T extends object>(value: T): Readonly<T> {
  for (const inner of Object.values(value)) {
    if (inner && typeof inner === 'object' && !Object.isFrozen(inner)) deepFreeze(inner);
  }
  return Object.freeze(value);
}
