import { loadDotEnv, parseConfig } from '../config/config.js';
import { ConfigError } from '../config/env-reader.js';
import { createLogger } from '../logger.js';
import { startServer } from '../server.js';

/**
 * `npm start` and `confab serve`: read the configuration, serve until
 * SIGTERM or SIGINT, then drain. Exit codes: 0 drained, 1 failed or timed
 * out, 2 a bad setting (one line naming it).
 */
export async function serve(): Promise<void> {
  loadDotEnv();
  let config: ReturnType<typeof parseConfig>;
  try {
    config = parseConfig(process.env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`confab: ${err.message}\n`);
    process.exit(2);
  }
  const log = createLogger(config.log);
  for (const warning of config.deprecations) log.warn(warning);
  const server = await startServer(config, log).catch((err) => {
    // A setting found bad only while starting (a bad jwt-secret file): one line, as above.
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`confab: ${err.message}\n`);
    process.exit(2);
  });
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
