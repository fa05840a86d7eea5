import type { ChannelModel, ConfirmChannel, ConsumeMessage, RecoveringChannelModel } from 'amqplib';
import type { CommandAnswer, CommandRequest } from '../../core/ports/command-queue.js';
import type { Logger } from '../../logger.js';
import { connectRecovering, topology } from './amqp-topology.js';

type Runner = (request: CommandRequest) => Promise<CommandAnswer>;

export interface WorkerOptions {
  url: string;
  prefix: string;
  /** Requests carried out at once (the channel's prefetch). */
  concurrency: number;
}

/**
 * A bot worker's side of RabbitMQ. A request is acknowledged only once its
 * answer is confirmed by the broker: a worker that dies mid-command leaves
 * it unacknowledged, so RabbitMQ hands it to another worker (the node drops
 * a second answer). After a reconnect, requests held on the lost channel are
 * redelivered by the broker; their answers are not sent from here.
 */
export class AmqpCommandWorker {
  private connection: RecoveringChannelModel | undefined;
  private channel: ConfirmChannel | undefined;
  private consumerTag: string | undefined;
  private stopping = false;
  private inFlight = 0;
  private idle: Array<() => void> = [];

  constructor(
    private readonly options: WorkerOptions,
    private readonly run: Runner,
    private readonly log: Logger,
  ) {}

  /** Resolves once connected and consuming. */
  async start(): Promise<void> {
    this.connection = await connectRecovering(this.options.url, 'bot worker', this.log, (model) =>
      this.setUp(model),
    );
  }

  /**
   * Stops taking requests, finishes those it holds (for at most `graceMs`),
   * then disconnects: what it could not finish goes back to the queue.
   */
  async stop(graceMs: number): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    const { channel, consumerTag } = this;
    if (channel && consumerTag) await channel.cancel(consumerTag).catch(() => {});
    if (this.inFlight > 0) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        new Promise<void>((resolve) => this.idle.push(resolve)),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, graceMs);
        }),
      ]);
      clearTimeout(timer);
    }
    await this.connection?.close();
  }

  private async setUp(model: ChannelModel): Promise<void> {
    if (this.stopping) return;
    const channel = await model.createConfirmChannel();
    channel.on('error', (err: Error) =>
      this.log.warn({ err: err.message }, 'worker channel error'),
    );
    channel.on('close', () => {
      if (this.channel === channel) this.channel = undefined;
    });
    await channel.prefetch(this.options.concurrency);
    const queue = topology.requests(this.options.prefix);
    await channel.assertQueue(queue, { durable: true });
    this.channel = channel;
    const { consumerTag } = await channel.consume(queue, (msg) => {
      if (msg) void this.handle(channel, msg);
    });
    this.consumerTag = consumerTag;
  }

  private async handle(channel: ConfirmChannel, msg: ConsumeMessage): Promise<void> {
    this.inFlight += 1;
    try {
      const request = parseRequest(msg);
      const replyTo = msg.properties.replyTo;
      if (!request || typeof replyTo !== 'string') {
        this.log.warn('malformed command request dropped');
        channel.ack(msg);
        return;
      }
      const answer = await this.run(request);
      if (this.channel !== channel) return; // lost meanwhile: the broker hands it out again
      const { correlationId, ...body } = answer;
      channel.sendToQueue(replyTo, Buffer.from(JSON.stringify(body)), {
        correlationId,
        contentType: 'application/json',
      });
      await channel.waitForConfirms();
      channel.ack(msg);
    } catch (err) {
      this.log.warn({ err }, 'command not answered; the broker will hand it out again');
    } finally {
      this.inFlight -= 1;
      if (this.inFlight === 0) for (const resolve of this.idle.splice(0)) resolve();
    }
  }
}

function parseRequest(msg: ConsumeMessage): CommandRequest | undefined {
  try {
    const body = JSON.parse(msg.content.toString()) as Partial<CommandRequest>;
    const correlationId = msg.properties.correlationId;
    const user = body.user;
    if (
      typeof correlationId !== 'string' ||
      typeof body.name !== 'string' ||
      typeof body.args !== 'string' ||
      typeof body.roomId !== 'string' ||
      typeof user?.id !== 'string' ||
      typeof user.name !== 'string'
    ) {
      return undefined;
    }
    return {
      correlationId,
      name: body.name,
      args: body.args,
      roomId: body.roomId,
      user: { id: user.id, name: user.name },
    };
  } catch {
    return undefined;
  }
}
