import type { Channel, ChannelModel, ConsumeMessage, RecoveringChannelModel } from 'amqplib';
import type {
  CommandAnswer,
  CommandQueue,
  CommandRequest,
} from '../../core/ports/command-queue.js';
import type { Logger } from '../../logger.js';
import { connectRecovering, topology } from './amqp-topology.js';

/**
 * The node's side of RabbitMQ: publishes requests to the shared queue and
 * reads the answers to its own from its exclusive reply queue.
 */
export class AmqpCommandQueue implements CommandQueue {
  private readonly nodeId = crypto.randomUUID();
  private connection: RecoveringChannelModel | undefined;
  private channel: Channel | undefined;
  private onAnswer: ((answer: CommandAnswer) => void) | undefined;

  constructor(
    private readonly url: string,
    private readonly prefix: string,
    private readonly log: Logger,
  ) {}

  get answersQueue(): string {
    return topology.answers(this.prefix, this.nodeId);
  }

  async start(onAnswer: (answer: CommandAnswer) => void): Promise<void> {
    this.onAnswer = onAnswer;
    this.connection = await connectRecovering(this.url, 'commands', this.log, (model) =>
      this.setUp(model),
    );
  }

  async request(request: CommandRequest, ttlMs: number): Promise<void> {
    const channel = this.channel;
    if (!channel) throw new Error('the command broker is unavailable');
    const { correlationId, ...body } = request;
    channel.sendToQueue(topology.requests(this.prefix), Buffer.from(JSON.stringify(body)), {
      correlationId,
      replyTo: this.answersQueue,
      expiration: String(ttlMs),
      persistent: true,
      contentType: 'application/json',
    });
  }

  async close(): Promise<void> {
    const connection = this.connection;
    this.connection = undefined;
    this.channel = undefined;
    await connection?.close();
  }

  private async setUp(model: ChannelModel): Promise<void> {
    const channel = await model.createChannel();
    channel.on('error', (err: Error) =>
      this.log.warn({ err: err.message }, 'command channel error'),
    );
    channel.on('close', () => {
      if (this.channel === channel) this.channel = undefined;
    });
    await channel.assertQueue(topology.requests(this.prefix), { durable: true });
    await channel.assertQueue(this.answersQueue, { exclusive: true, autoDelete: true });
    await channel.consume(this.answersQueue, (msg) => this.receive(msg), { noAck: true });
    this.channel = channel;
  }

  private receive(msg: ConsumeMessage | null): void {
    if (!msg) return;
    const answer = parseAnswer(msg);
    if (answer) this.onAnswer?.(answer);
    else this.log.warn('malformed command answer dropped');
  }
}

function parseAnswer(msg: ConsumeMessage): CommandAnswer | undefined {
  try {
    const body = JSON.parse(msg.content.toString()) as Partial<CommandAnswer>;
    const correlationId = msg.properties.correlationId;
    if (
      typeof correlationId !== 'string' ||
      typeof body.name !== 'string' ||
      typeof body.text !== 'string' ||
      (body.type !== 'bot' && body.type !== 'failed')
    ) {
      return undefined;
    }
    return { correlationId, name: body.name, type: body.type, text: body.text };
  } catch {
    return undefined;
  }
}
