import type {
  CommandAnswer,
  CommandQueue,
  CommandRequest,
} from '../../core/ports/command-queue.js';

type Runner = (request: CommandRequest) => Promise<CommandAnswer>;

/**
 * Commands carried out in this process (no AMQP_URL): `npm start` alone
 * answers them. At most `concurrency` run at once; the rest wait in order,
 * and one that waited past its ttl is dropped (nobody waits for it).
 */
export class MemoryCommandQueue implements CommandQueue {
  private onAnswer: ((answer: CommandAnswer) => void) | undefined;
  private readonly waiting: Array<{ request: CommandRequest; expires: number }> = [];
  private running = 0;
  private closed = false;

  constructor(
    private readonly run: Runner,
    private readonly concurrency: number,
    private readonly onError: (err: unknown) => void,
  ) {}

  async start(onAnswer: (answer: CommandAnswer) => void): Promise<void> {
    this.onAnswer = onAnswer;
  }

  async request(request: CommandRequest, ttlMs: number): Promise<void> {
    if (this.closed) throw new Error('command queue closed');
    this.waiting.push({ request, expires: Date.now() + ttlMs });
    this.next();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.waiting.length = 0;
  }

  private next(): void {
    while (this.running < this.concurrency && this.waiting.length > 0) {
      const item = this.waiting.shift();
      if (!item || item.expires < Date.now()) continue;
      this.running += 1;
      this.run(item.request)
        .then((answer) => {
          if (!this.closed) this.onAnswer?.(answer);
        }, this.onError)
        .finally(() => {
          this.running -= 1;
          this.next();
        });
    }
  }
}
