import { type Config, loadDotEnv, parseConfig } from '../config/config.js';
import { createLogger, type Logger } from '../logger.js';
import { startServer } from '../server.js';
import { stopOnSettingError } from '../start-failure.js';

/**
 * `npm start` and `confab serve`: read the configuration, serve until
 * SIGTERM or SIGINT, then drain. Exit codes: 0 drained, 1 failed or timed
 * out (a start that failed on what a setting names: one line naming it), 2 a
 * bad setting (one line naming it).
 */
export async function serve(): Promise<void> {
  loadDotEnv();
  let config: Config;
  let log: Logger;
  try {
    config = parseConfig(process.env);
    log = createLogger(config.log);
  } catch (err) {
    stopOnSettingError('confab', err);
  }
  for (const warning of config.deprecations) log.warn(warning);
  // A setting found bad only while starting (a bad jwt-secret file, a port in use, a
  // database that does not answer): one line, as above.
  const server = await startServer(config, log).catch((err) => stopOnSettingError('confab', err));
  const stop = (signal: string) => {
    log.info({ signal, timeoutMs: config.shutdownTimeoutMs }, 'draining');
    // The promise of SHUTDOWN_TIMEOUT: exit by then whatever is still pending.
    setTimeout(() => {
      log.error('shutdown timed out');
      process.exit(1);
    }, config.shutdownTimeoutMs + 250).unref();
    server.close().then(
      () => process.exit(0),
      (err) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}
