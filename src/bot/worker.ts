import { AmqpCommandWorker } from '../adapters/commands/amqp-command-worker.js';
import { botCommands } from '../bots/registry.js';
import { commandRunner } from '../bots/run-command.js';
import type { Config } from '../config/config.js';
import type { BotCommand } from '../core/ports/bot-command.js';
import type { Logger } from '../logger.js';

export interface RunningWorker {
  /** Stops taking requests, finishes those it holds (at most SHUTDOWN_GRACE_MS), disconnects. */
  stop(): Promise<void>;
}

/** The commands with this configuration's bot settings. */
export function configuredCommands(config: Config): BotCommand[] {
  return botCommands({
    stock: { quoteUrl: config.stockQuoteUrl, timeoutMs: config.stockQuoteTimeoutMs },
  });
}

/**
 * A bot worker: takes command requests from RabbitMQ (AMQP_URL), carries
 * them out and sends the answers back. Resolves once it consumes; the
 * `confab bot` command and `npm run bot` both call it.
 */
export async function startBotWorker(config: Config, log: Logger): Promise<RunningWorker> {
  if (!config.amqpUrl)
    throw new Error('AMQP_URL is required: bot workers take commands from RabbitMQ');
  const commands = configuredCommands(config);
  const run = commandRunner(commands, (err) => log.error({ err }, 'command failed'));
  const worker = new AmqpCommandWorker(
    { url: config.amqpUrl, prefix: config.amqpPrefix, concurrency: config.botConcurrency },
    run,
    log,
  );
  await worker.start();
  log.info(
    { commands: commands.map((c) => c.name), concurrency: config.botConcurrency },
    'bot worker ready',
  );
  return { stop: () => worker.stop(config.shutdownTimeoutMs) };
}
