import pino, { type Logger } from 'pino';
import type { LogConfig } from './config/config.js';

export type { Logger };

/** JSON lines on stdout, and optionally in LOG_FILE with its own level (the GoChat seed's LOG_* split). */
export function createLogger(config: LogConfig): Logger {
  const streams: pino.StreamEntry<pino.LevelWithSilent>[] = [
    { level: config.level, stream: process.stdout },
  ];
  if (config.file) {
    streams.push({
      level: config.fileLevel,
      stream: pino.destination({ dest: config.file, mkdir: true, sync: false }),
    });
  }
  // The logger itself must pass everything the most talkative stream wants.
  const rank = (level: pino.LevelWithSilent) =>
    pino.levels.values[level] ?? Number.POSITIVE_INFINITY;
  const fileLevel = config.file ? config.fileLevel : 'silent';
  const level = rank(config.level) <= rank(fileLevel) ? config.level : fileLevel;
  return pino({ level }, pino.multistream(streams));
}
