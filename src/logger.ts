import { mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import pino, { type Logger } from 'pino';
import type { LogConfig } from './config/config.js';
import { ConfigError } from './config/env-reader.js';

export type { Logger };

/** JSON lines on stdout, and optionally in LOG_FILE with its own level (the GoChat seed's LOG_* split). */
export function createLogger(config: LogConfig): Logger {
  const streams: pino.StreamEntry<pino.LevelWithSilent>[] = [
    { level: config.level, stream: process.stdout },
  ];
  if (config.file) {
    streams.push({
      level: config.fileLevel,
      stream: pino.destination({ dest: openLogFile(config.file), sync: false }),
    });
  }
  // The logger itself must pass everything the most talkative stream wants.
  const rank = (level: pino.LevelWithSilent) =>
    pino.levels.values[level] ?? Number.POSITIVE_INFINITY;
  const fileLevel = config.file ? config.fileLevel : 'silent';
  const level = rank(config.level) <= rank(fileLevel) ? config.level : fileLevel;
  return pino({ level }, pino.multistream(streams));
}

/** LOG_FILE opened now, so that a path that cannot be written stops the start with one line. */
function openLogFile(file: string): number {
  try {
    mkdirSync(dirname(file), { recursive: true });
    return openSync(file, 'a');
  } catch (err) {
    throw new ConfigError(`LOG_FILE cannot be written: ${(err as Error).message}`);
  }
}
