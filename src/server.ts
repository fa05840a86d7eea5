import Fastify, { type FastifyBaseLogger, LogController } from 'fastify';
import { JwtTokens } from './adapters/auth/jwt-tokens.js';
import { ScryptHasher } from './adapters/auth/scrypt-hasher.js';
import type { Config } from './config/config.js';
import { Accounts } from './core/accounts.js';
import { Blocks } from './core/blocks.js';
import { Chat } from './core/chat.js';
import { Delivery } from './core/delivery/delivery.js';
import { DirectRooms } from './core/direct-rooms.js';
import { ChatError } from './core/errors.js';
import { Groups } from './core/groups.js';
import type { Bus } from './core/ports/bus.js';
import type { Store } from './core/ports/store.js';
import { TokenBucketLimiter } from './core/rate-limiter.js';
import { Rooms } from './core/rooms.js';
import type { Logger } from './logger.js';
import { openAdapters } from './open-adapters.js';
import { accountsRoutes } from './transport/http/accounts-routes.js';
import { Authenticator } from './transport/http/authenticate.js';
import {
  badUrlHandler,
  clientErrorHandler,
  installErrorHandling,
} from './transport/http/errors.js';
import { type HealthReport, healthRoute } from './transport/http/health-route.js';
import { installJsonParser } from './transport/http/json-body.js';
import { roomsRoutes } from './transport/http/rooms-routes.js';
import { socialRoutes } from './transport/http/social-routes.js';
import { webClient } from './transport/http/web-client.js';
import { Gateway } from './transport/ws/gateway.js';

/** How long a dependency may take to answer a health check. */
const HEALTH_TIMEOUT_MS = 1_000;

export interface RunningServer {
  /** The port actually bound (useful with PORT=0). */
  port: number;
  /** Refuses new work, closes connections, then the adapters. Idempotent. */
  close(): Promise<void>;
}

export async function startServer(config: Config, log: Logger): Promise<RunningServer> {
  const { store, bus, presence, jwtSecret, names } = await openAdapters(config, log);
  const onError = (err: unknown) => log.warn({ err }, 'background delivery error');

  const accounts = new Accounts(
    store,
    new ScryptHasher(),
    new JwtTokens(jwtSecret, config.tokenTtl),
  );
  const delivery = new Delivery(store, bus, onError, {
    batchAbove: config.presenceBatchAbove,
    batchMs: config.presenceBatchMs,
  });
  await delivery.start();
  const rooms = new Rooms(store, presence, delivery);
  const limiter = new TokenBucketLimiter(config.messageRate, config.messageBurst);
  const sweeper = setInterval(() => limiter.sweep(), 60_000).unref();
  const chat = new Chat(store, rooms, delivery, limiter, {
    maxMessageChars: config.maxMessageChars,
    noticesMaxMembers: config.roomNoticesMaxMembers,
  });
  const groups = new Groups(store, rooms, chat, delivery);
  const direct = new DirectRooms(store, presence, delivery);

  const app = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: config.maxFrameBytes,
    trustProxy: config.trustProxy,
    frameworkErrors: badUrlHandler,
    clientErrorHandler,
    // A body's types are checked, never converted: `username: 123` is refused,
    // not made "123". (Query strings, all strings, are parsed by hand.)
    ajv: { customOptions: { coerceTypes: false } },
  });
  let draining = false;
  app.addHook('onRequest', async () => {
    if (draining) throw new ChatError('shutting_down');
  });
  installJsonParser(app, config.maxFrameBytes);
  installErrorHandling(app);
  const auth = new Authenticator(accounts, config.allowGuests);
  accountsRoutes(app, accounts, auth, config.allowGuests);
  roomsRoutes(app, rooms, groups, auth);
  socialRoutes(app, direct, new Blocks(store), auth);
  healthRoute(app, () => checkHealth(store, bus));
  webClient(app, log);

  const gateway = new Gateway(
    accounts,
    presence,
    { chat, delivery, log, roomsPerConnection: config.roomsPerConnection },
    {
      allowGuests: config.allowGuests,
      maxFrameBytes: config.maxFrameBytes,
      connectionsPerUser: config.connectionsPerUser,
      connectionsPerIp: config.connectionsPerIp,
      trustProxy: config.trustProxy,
      allowedOrigins: config.allowedOrigins,
      roomsPerConnection: config.roomsPerConnection,
      sendQueueBytes: config.sendQueueBytes,
    },
  );
  app.server.on('upgrade', gateway.handleUpgrade);

  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  log.info({ port, host: config.host, ...names }, 'confab listening');

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      clearInterval(sweeper);
      draining = true;
      const drained = gateway.drain();
      await Promise.race([drained, delay(config.shutdownGraceMs)]);
      await app.close();
      await delivery.close();
      await bus.close();
      await presence.close();
      await store.close();
    })();
    return closing;
  };
  return { port, close };
}

async function checkHealth(store: Store, bus: Bus): Promise<HealthReport> {
  const probe = (check: Promise<void>) =>
    Promise.race([
      check.then(() => 'ok' as const),
      delay(HEALTH_TIMEOUT_MS).then(() => 'down' as const),
    ]).catch(() => 'down' as const);
  const [storeState, busState] = await Promise.all([probe(store.ping()), probe(bus.ping())]);
  return { store: storeState, bus: busState };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
