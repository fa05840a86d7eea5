import { type Config, loadDotEnv, parseConfig } from '../config/config.js';
import { ConfigError } from '../config/env-reader.js';
import { createLogger, type Logger } from '../logger.js';
import { startStep, stopOnSettingError } from '../start-failure.js';
import { startBotWorker } from './worker.js';

/**
 * `npm run bot`: a bot worker in the foreground until SIGTERM or SIGINT,
 * which stop it gracefully (it finishes the commands it holds).
 */
export async function runBotWorker(env: Record<string, string | undefined> = process.env) {
  loadDotEnv();
  let config: Config;
  let log: Logger;
  try {
    config = parseConfig(env);
    if (!config.amqp)
      throw new ConfigError('AMQP_URL must be set: bot workers take commands from RabbitMQ');
    log = createLogger(config.log);
  } catch (err) {
    stopOnSettingError('confab bot', err);
  }
  const worker = await startStep('AMQP_URL', () => startBotWorker(config, log)).catch((err) =>
    stopOnSettingError('confab bot', err),
  );
  const stop = (signal: string) => {
    log.info({ signal }, 'bot worker stopping');
    worker.stop().then(
      () => process.exit(0),
      (err) => {
        log.error({ err }, 'bot worker stop failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}
