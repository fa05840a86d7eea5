import { ConfigError } from './config/env-reader.js';

/**
 * A start that failed on something a setting names: a port in use, a data
 * folder that cannot be one, a database, Redis or RabbitMQ that cannot be
 * reached. The process stops with one line naming the setting (exit 1), as
 * a bad value does (exit 2), rather than a stack trace.
 */
export class StartFailure extends Error {
  override name = 'StartFailure';
}

/** Runs one step of the start; its failure becomes a StartFailure naming `setting`. */
export async function startStep<T>(setting: string, step: () => Promise<T> | T): Promise<T> {
  try {
    return await step();
  } catch (err) {
    if (err instanceof ConfigError || err instanceof StartFailure) throw err;
    const reason = err instanceof Error ? err.message : String(err);
    throw new StartFailure(`cannot start: ${setting}: ${reason.split('\n', 1)[0]}`, {
      cause: err,
    });
  }
}

/**
 * Ends the process with one line for a setting's failure: exit 2 for a bad
 * value, 1 for a start that failed on it. Anything else is a bug: thrown on.
 */
export function stopOnSettingError(command: string, err: unknown): never {
  if (!(err instanceof ConfigError || err instanceof StartFailure)) throw err;
  process.stderr.write(`${command}: ${err.message}\n`);
  process.exit(err instanceof ConfigError ? 2 : 1);
}
