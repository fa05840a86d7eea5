import type { UserView } from '../../protocol/message.js';
import type { BotAnswer } from './bot-command.js';

/** A command for a bot worker, and who asked where. */
export interface CommandRequest {
  /** Unique per request: the answer carries it back, and a second answer to it is dropped. */
  correlationId: string;
  name: string;
  /** What follows the name: `aapl.us` in `/stock=aapl.us`. */
  args: string;
  roomId: string;
  user: UserView;
}

export interface CommandAnswer extends BotAnswer {
  correlationId: string;
  /** The command that answered, which names the bot: `stock`. */
  name: string;
}

/**
 * Carries commands to bot workers and their answers back to the node that
 * asked: RabbitMQ between processes, or in-process. Answers arrive at least
 * once; the caller drops repeats by correlation id.
 */
export interface CommandQueue {
  /** Starts receiving the answers to this node's requests. */
  start(onAnswer: (answer: CommandAnswer) => void): Promise<void>;
  /**
   * Hands a request over; it is worth doing for `ttlMs` (after that nobody
   * waits for the answer). Rejects when it could not be handed over.
   */
  request(request: CommandRequest, ttlMs: number): Promise<void>;
  close(): Promise<void>;
}
