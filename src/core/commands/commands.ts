import type { CommandInfo } from '../../protocol/commands.js';
import type { ChatMessage, MessageType } from '../../protocol/message.js';
import type { Delivery } from '../delivery/delivery.js';
import type { User } from '../domain.js';
import { ChatError, toChatError } from '../errors.js';
import { messageId } from '../message-id.js';
import type { CommandAnswer, CommandQueue } from '../ports/command-queue.js';
import type { Store } from '../ports/store.js';
import { storableText } from '../storable-text.js';
import { parseCommand } from './parse-command.js';

/** The command every node answers itself, at once. */
export const HELP: CommandInfo = { name: 'help', usage: '/help', help: 'Lists the commands.' };

/** Bot messages are stored under this member id, followed by the command's name: `bot:stock`. */
export const BOT_MEMBER_PREFIX = 'bot:';

/** Tells the sender of a command about its failure (an `error` frame with the send's id). */
export type CommandReply = (error: ChatError) => void;

interface Pending {
  roomId: string;
  /** The command's own message: its answer carries this id as its clientId. */
  messageId: string;
  reply: CommandReply;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * Slash commands: `/help` answered here, the others sent to bot workers
 * through the CommandQueue. Each answer is stored and published as a `bot`
 * (or `failed`) message of the room; an answer that comes after the
 * timeout, or a second answer to the same request, is dropped.
 */
export class Commands {
  private readonly pending = new Map<string, Pending>();
  private readonly known: ReadonlySet<string>;
  readonly list: readonly CommandInfo[];

  constructor(
    private readonly store: Store,
    private readonly delivery: Delivery,
    private readonly queue: CommandQueue,
    catalogue: readonly CommandInfo[],
    private readonly timeoutMs: number,
    private readonly onError: (err: unknown) => void,
  ) {
    this.list = Object.freeze([HELP, ...catalogue.filter((c) => c.name !== HELP.name)]);
    this.known = new Set(this.list.map((c) => c.name));
  }

  start(): Promise<void> {
    return this.queue.start((answer) => this.answered(answer));
  }

  /**
   * Carries out a command whose message is stored (and acked). Never throws:
   * a failure reaches the sender through `reply`.
   */
  run(message: ChatMessage, user: User, reply: CommandReply): void {
    const { name, args } = parseCommand(message.message);
    if (!this.known.has(name)) {
      reply(new ChatError('unknown_command', `No command /${name}; /help lists them.`));
      return;
    }
    if (name === HELP.name) {
      this.post(message.roomId, HELP.name, 'bot', this.helpText(), message.id).catch((err) =>
        reply(toChatError(err)),
      );
      return;
    }
    const correlationId = crypto.randomUUID();
    const timer = setTimeout(() => {
      if (!this.pending.delete(correlationId)) return;
      reply(new ChatError('command_timeout', `No bot answered /${name} in time.`));
    }, this.timeoutMs);
    timer.unref?.();
    this.pending.set(correlationId, {
      roomId: message.roomId,
      messageId: message.id,
      reply,
      timer,
    });
    this.queue
      .request(
        {
          correlationId,
          name,
          args,
          roomId: message.roomId,
          user: { id: user.id, name: user.name },
        },
        this.timeoutMs,
      )
      // Not handed over (the broker is away): no answer will come, and the timeout says so.
      .catch(this.onError);
  }

  /** Forgets every waiting command; their answers, if any come, are dropped. */
  close(): void {
    for (const { timer } of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
  }

  private answered(answer: CommandAnswer): void {
    const pending = this.pending.get(answer.correlationId);
    if (!pending) return; // late (timed out) or a repeat: its first answer was posted
    this.pending.delete(answer.correlationId);
    clearTimeout(pending.timer);
    this.post(pending.roomId, answer.name, answer.type, answer.text, pending.messageId).catch(
      (err) => {
        this.onError(err);
        pending.reply(toChatError(err));
      },
    );
  }

  /**
   * Stores and publishes a bot message. Its clientId is the id of the
   * command's message it answers (`answers`), so a client can tie the two
   * together, and the store refuses a second copy of one bot's answer.
   */
  private async post(
    roomId: string,
    bot: string,
    type: MessageType,
    text: string,
    answers: string,
  ): Promise<void> {
    const result = await this.store.append({
      id: messageId(),
      roomId,
      memberId: `${BOT_MEMBER_PREFIX}${bot}`,
      memberName: `${bot} bot`,
      type,
      message: storableText(text), // a worker's text, as any other
      sent: new Date().toISOString(),
      clientId: answers,
    });
    // A repeat's first copy too, as in Chat.send: its first answer may have been lost.
    this.delivery.publish(result.message);
  }

  private helpText(): string {
    return ['Commands:', ...this.list.map((c) => `${c.usage}: ${c.help}`)].join('\n');
  }
}
