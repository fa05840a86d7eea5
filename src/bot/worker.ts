import { AmqpCommandWorker } from '../adapters/commands/amqp-command-worker.js';
import { botCommands } from '../bots/registry.js';
import { commandRunner } from '../bots/run-command.js';
import type { Config } from '../config/config.js';
import type { Logger } from '../logger.js';

export interface RunningWorker {
  /** Stops taking requests, finishes those it holds (at most SHUTDOWN_TIMEOUT), disconnects. */
  stop(): Promise<void>;
}

/**
 * A bot worker: takes command requests from RabbitMQ (AMQP_URL), carries
 * them out and sends the answers back. Resolves once it consumes; the
 * `confab bot` command and `npm run bot` both call it.
 */
export async function startBotWorker(config: Config, log: Logger): Promise<RunningWorker> {
  if (!config.amqp)
    throw new Error('AMQP_URL is required: bot workers take commands from RabbitMQ');
  const commands = botCommands(config.bots);
  const run = commandRunner(commands, (err) => log.error({ err }, 'command failed'));
  const worker = new AmqpCommandWorker(
    { ...config.amqp, concurrency: config.commands.concurrency },
    run,
    log,
  );
  await worker.start();
  log.info(
    { commands: commands.map((c) => c.name), concurrency: config.commands.concurrency },
    'bot worker ready',
  );
  return { stop: () => worker.stop(config.shutdownTimeoutMs) };
}
