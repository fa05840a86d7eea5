import pino, { type Logger } from 'pino';
import type { Config } from './config/config.js';

export type { Logger };

/** JSON lines on stdout, and optionally in LOG_FILE with its own level (the GoChat seed's LOG_* split). */
export function createLogger(
  config: Pick<Config, 'logLevel' | 'logFile' | 'logFileLevel'>,
): Logger {
  const streams: pino.StreamEntry<pino.LevelWithSilent>[] = [
    { level: config.logLevel, stream: process.stdout },
  ];
  if (config.logFile) {
    streams.push({
      level: config.logFileLevel,
      stream: pino.destination({ dest: config.logFile, mkdir: true, sync: false }),
    });
  }
  // The logger itself must pass everything the most talkative stream wants.
  const rank = (level: pino.LevelWithSilent) =>
    pino.levels.values[level] ?? Number.POSITIVE_INFINITY;
  const fileLevel = config.logFile ? config.logFileLevel : 'silent';
  const level = rank(config.logLevel) <= rank(fileLevel) ? config.logLevel : fileLevel;
  return pino({ level }, pino.multistream(streams));
}
