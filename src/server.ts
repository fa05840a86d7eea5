import Fastify, { type FastifyBaseLogger, LogController } from 'fastify';
import { JwtTokens } from './adapters/auth/jwt-tokens.js';
import { ScryptHasher } from './adapters/auth/scrypt-hasher.js';
import { PrometheusMetrics } from './adapters/metrics/prometheus-metrics.js';
import { botCommands as configuredBots } from './bots/registry.js';
import type { Config } from './config/config.js';
import { Accounts } from './core/accounts.js';
import { Actions } from './core/actions.js';
import { Blocks } from './core/blocks.js';
import { Chat, type ChatGuards } from './core/chat.js';
import { Commands } from './core/commands/commands.js';
import { Connections } from './core/connections/connections.js';
import { ContentRules } from './core/content-rules.js';
import { ensureDefaultRooms } from './core/default-rooms.js';
import { Delivery } from './core/delivery/delivery.js';
import { DirectRooms } from './core/direct-rooms.js';
import { ChatError } from './core/errors.js';
import { Groups } from './core/groups.js';
import { Limits } from './core/limits.js';
import { OfflineNotifications } from './core/offline-notifications.js';
import type { Bus } from './core/ports/bus.js';
import { type Metrics, NO_METRICS } from './core/ports/metrics.js';
import type { Presence } from './core/ports/presence.js';
import type { Store } from './core/ports/store.js';
import { Rooms } from './core/rooms.js';
import type { Logger } from './logger.js';
import {
  type AbuseAdapters,
  openAbuseAdapters,
  openAdapters,
  openCommandQueue,
} from './open-adapters.js';
import { startStep } from './start-failure.js';
import { accountsRoutes } from './transport/http/accounts-routes.js';
import { actionsRoutes } from './transport/http/actions-routes.js';
import { Authenticator } from './transport/http/authenticate.js';
import { commandsRoute } from './transport/http/commands-route.js';
import {
  badUrlHandler,
  clientErrorHandler,
  installErrorHandling,
} from './transport/http/errors.js';
import { type HealthReport, healthRoutes } from './transport/http/health-route.js';
import { installJsonParser } from './transport/http/json-body.js';
import { metricsRoute } from './transport/http/metrics-route.js';
import { installOpenApi, openApiRoutes } from './transport/http/openapi.js';
import { roomsRoutes } from './transport/http/rooms-routes.js';
import { socialRoutes } from './transport/http/social-routes.js';
import { webClient } from './transport/http/web-client.js';
import { Gateway } from './transport/ws/gateway.js';

/** How long a dependency may take to answer a health check. */
const HEALTH_TIMEOUT_MS = 1_000;
/** Routes that keep answering while the node drains: they say how it is doing. */
const OBSERVATION_PATHS = new Set(['/api/healthz', '/api/readyz', '/metrics']);

export interface RunningServer {
  /** The port actually bound (useful with PORT=0). */
  port: number;
  /** Every HTTP route as `METHOD /path`, but those hidden from the OpenAPI document (for its test). */
  routes: readonly string[];
  /**
   * Drains: unready, refuses new work, answers what connections sent, closes
   * them with 1012, then the adapters; within `SHUTDOWN_TIMEOUT`. Idempotent.
   */
  close(): Promise<void>;
}

export async function startServer(config: Config, log: Logger): Promise<RunningServer> {
  const adapters = await openAdapters(config, log);
  const { presence, jwtSecret, names } = adapters;
  const abuse = await openAbuseAdapters(config, log);
  const prometheus = config.metrics ? new PrometheusMetrics() : undefined;
  const metrics: Metrics = prometheus ?? NO_METRICS;
  const store = prometheus ? prometheus.instrumentStore(adapters.store) : adapters.store;
  const bus = prometheus ? prometheus.instrumentBus(adapters.bus) : adapters.bus;
  const onError = (err: unknown) => log.warn({ err }, 'background delivery error');
  const made = await ensureDefaultRooms(store, config.defaultRooms);
  if (made.length > 0) log.info({ rooms: made }, 'made the default rooms');

  const delivery = new Delivery(store, bus, onError, config.delivery, metrics);
  await delivery.start();
  const accounts = new Accounts(
    store,
    new ScryptHasher(),
    new JwtTokens(jwtSecret, config.auth.tokenTtl),
    delivery,
  );
  const rooms = new Rooms(store, presence, delivery);
  const guards = chatGuards(config, abuse, store, presence, log);
  const chat = new Chat(store, rooms, delivery, guards, config.chat);
  const actions = new Actions(store, rooms, delivery, guards, config.chat);
  const botCommands = configuredBots(config.bots);
  const commandQueue = openCommandQueue(config, botCommands, log);
  const commands = new Commands(
    store,
    delivery,
    commandQueue.queue,
    botCommands,
    config.commands.timeoutMs,
    (err) => log.warn({ err }, 'command not handed over'),
  );
  // Only the RabbitMQ queue can fail to start.
  await startStep('AMQP_URL', () => commands.start());
  const groups = new Groups(store, rooms, chat, delivery);
  const direct = new DirectRooms(store, presence, delivery, guards.limits);

  const app = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: config.transport.maxFrameBytes,
    trustProxy: config.transport.trustProxy,
    frameworkErrors: badUrlHandler,
    // Fastify's default (100) would turn a longer id in a path into a bad-URL
    // answer; every id reaches its route instead, which answers not found.
    // The request line's own limit (Node's header size) bounds it.
    routerOptions: { maxParamLength: 16_384 },
    clientErrorHandler,
    // A body's types are checked, never converted: `username: 123` is refused,
    // not made "123". (Query strings, all strings, are parsed by hand.)
    ajv: { customOptions: { coerceTypes: false } },
  });
  const routes: string[] = [];
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (route.schema?.hide) return;
    for (const method of methods) if (method !== 'HEAD') routes.push(`${method} ${route.url}`);
  });
  await installOpenApi(app);
  let draining = false;
  app.addHook('onRequest', async (request) => {
    if (draining && !OBSERVATION_PATHS.has(request.url.split('?', 1)[0] ?? '')) {
      throw new ChatError('shutting_down');
    }
  });
  installJsonParser(app, config.transport.maxFrameBytes);
  installErrorHandling(app);
  const auth = new Authenticator(accounts, config.transport.allowGuests);
  accountsRoutes(app, accounts, auth, config.transport.allowGuests, guards.limits);
  roomsRoutes(app, rooms, groups, auth, guards.limits);
  socialRoutes(app, direct, new Blocks(store), auth);
  actionsRoutes(app, actions, rooms, auth);
  commandsRoute(app, commands.list);
  healthRoutes(
    app,
    () => checkHealth(store, bus),
    () => draining,
  );
  if (prometheus) metricsRoute(app, metrics, () => prometheus.render());
  await openApiRoutes(app);
  webClient(app, log);

  const connections = new Connections(
    chat,
    accounts,
    delivery,
    presence,
    guards.notifications,
    { roomsPerConnection: config.transport.roomsPerConnection },
    (err) => log.warn({ err }, 'presence unavailable'),
  );
  const gateway = new Gateway(
    accounts,
    { chat, actions, commands, connections, log, metrics, limits: guards.limits },
    config.transport,
  );
  app.server.on('upgrade', gateway.handleUpgrade);
  prometheus?.watch({
    connections: () => gateway.size,
    roomSubscriptions: () => gateway.roomSubscriptions,
  });

  const { host } = config.transport;
  await startStep('PORT, HOST', () => app.listen({ port: config.transport.port, host }));
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.transport.port;
  log.info(
    { port, host, ...names, ...abuse.names, commands: commandQueue.name },
    'confab listening',
  );

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      const started = Date.now();
      // Adapters get the last part of the budget to close; connections the rest.
      const adapterReserve = Math.min(2_000, config.shutdownTimeoutMs / 4);
      draining = true;
      const drained = await within(gateway.drain(), config.shutdownTimeoutMs - adapterReserve);
      if (!drained) {
        log.warn('drain ran out of time: cutting the remaining connections');
        gateway.terminate();
      }
      const left = () => Math.max(0, config.shutdownTimeoutMs - (Date.now() - started));
      await within(app.close(), left());
      await within(
        (async () => {
          commands.close();
          guards.notifications?.close();
          await commandQueue.queue.close();
          await delivery.close();
          await Promise.allSettled([bus.close(), presence.close(), abuse.close()]);
          await store.close();
        })(),
        left(),
      );
      log.info({ ms: Date.now() - started }, 'drained');
    })();
    return closing;
  };
  return { port, routes, close };
}

/** The count limits, the content rules and, with a webhook, offline notification. */
function chatGuards(
  config: Config,
  abuse: AbuseAdapters,
  store: Store,
  presence: Presence,
  log: Logger,
): ChatGuards {
  const notifications =
    abuse.notify &&
    config.notify &&
    new OfflineNotifications(
      store,
      presence,
      abuse.notify.claims,
      abuse.notify.notifier,
      { afterMs: config.notify.afterMs, maxPending: 100_000 },
      (err) => log.warn({ err }, 'offline notification failed'),
    );
  return {
    limits: new Limits(abuse.limiters, config.limits),
    content: new ContentRules(abuse.scanner, config.content),
    notifications,
  };
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

/** Whether `work` finished within `ms`; it goes on either way. */
async function within(work: Promise<unknown>, ms: number): Promise<boolean> {
  return Promise.race([work.then(() => true), delay(ms).then(() => false)]);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
