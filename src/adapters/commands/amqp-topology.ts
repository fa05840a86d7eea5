import { type ChannelModel, connect, type RecoveringChannelModel } from 'amqplib';
import type { Logger } from '../../logger.js';

/**
 * The RabbitMQ topology, every name behind AMQP_PREFIX (so that several
 * deployments, or test runs, share one broker):
 *
 * - `<prefix>commands`: durable queue of requests, shared by every worker
 *   (published to through the default exchange, persistent, with a TTL of
 *   COMMAND_TIMEOUT so that requests nobody waits for any more expire);
 * - `<prefix>answers.<node id>`: each node's exclusive reply queue, named in
 *   the request's `replyTo`; it goes when the node goes.
 */
export const topology = {
  requests: (prefix: string) => `${prefix}commands`,
  answers: (prefix: string, nodeId: string) => `${prefix}answers.${nodeId}`,
} as const;

/**
 * Reconnection after the broker goes away: 0.2 s doubling to 5 s, with
 * jitter, for ever. At start, a broker still unreachable after five retries
 * (about 6 s of waiting) fails the start, rather than leave a process that
 * silently does nothing.
 */
const RECOVERY = { initialDelay: 200, maxDelay: 5_000, factor: 2, jitter: 0.2 } as const;
const INITIAL_RETRIES = 5;

/**
 * Connects with amqplib's recovery: `setup` runs after every (re)connect to
 * declare the topology and consumers again on the new connection.
 */
export async function connectRecovering(
  url: string,
  what: string,
  log: Logger,
  setup: (model: ChannelModel) => Promise<void>,
): Promise<RecoveringChannelModel> {
  const connection = await connect(url, {
    recovery: { ...RECOVERY, initialMaxRetries: INITIAL_RETRIES, setup, waitForConnect: false },
  });
  connection.on('connect', () => log.info({ what }, 'broker connected'));
  connection.on('disconnect', (err: Error) =>
    log.warn({ what, err: err.message }, 'broker connection lost; reconnecting'),
  );
  connection.on('connect-failed', (err: Error) =>
    log.warn({ what, err: err.message }, 'broker connection failed'),
  );
  connection.on('error', (err: Error) => log.warn({ what, err: err.message }, 'broker error'));
  try {
    await connection.waitForConnect();
  } catch (err) {
    throw new Error(
      `cannot connect to RabbitMQ (AMQP_URL): ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  return connection;
}
