import type { Redis } from 'ioredis';
import { ChatError } from '../../core/errors.js';
import type { Bus, BusEvent, BusHandler, Unsubscribe } from '../../core/ports/bus.js';
import type { Logger } from '../../logger.js';
import { closeRedis, openRedis } from '../redis/redis-client.js';

/** Unpublished message events kept for a retry, at most one per channel. */
const MAX_UNSENT = 10_000;
/** How often unpublished message events are retried while Redis seems up, in ms. */
const RETRY_MS = 1_000;

interface Unsent {
  payload: string;
  seq: number;
}

interface Channel {
  handlers: Set<BusHandler>;
  /** Resolves once Redis confirmed the SUBSCRIBE, or at once while the connection is down. */
  subscribed: Promise<void>;
}

/**
 * Redis pub/sub: one channel per topic, named `<prefix><topic>`, with JSON
 * payloads; one publishing and one subscribed connection per node.
 *
 * After an outage the subscribed connection subscribes every channel again,
 * then tells the `onReconnect` listeners, which re-read the store: what was
 * published meanwhile is lost on the wire but not in the store. A message
 * event that could not be published is kept (the newest per channel) and
 * published once Redis answers again: other nodes see the seq jump and fill
 * the gap from the store, even those whose own connection never dropped.
 */
export class RedisBus implements Bus {
  private readonly channels = new Map<string, Channel>();
  private readonly reconnectListeners: Array<() => void> = [];
  private readonly unsent = new Map<string, Unsent>();
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;

  static async open(url: string, prefix: string, log: Logger): Promise<RedisBus> {
    const publisher = await openRedis(url, 'confab-pub', log);
    try {
      const subscriber = await openRedis(url, 'confab-sub', log, { autoResubscribe: false });
      return new RedisBus(publisher, subscriber, prefix, log);
    } catch (err) {
      await closeRedis(publisher);
      throw err;
    }
  }

  constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    private readonly prefix: string,
    private readonly log: Logger,
  ) {
    subscriber.on('message', (channel: string, payload: string) => this.dispatch(channel, payload));
    let lost = false;
    subscriber.on('close', () => {
      lost = true;
    });
    subscriber.on('ready', () => {
      if (!lost) return;
      lost = false;
      this.resubscribe();
    });
    publisher.on('ready', () => this.retryUnsent());
  }

  async publish(topic: string, event: BusEvent): Promise<void> {
    const channel = this.prefix + topic;
    const payload = JSON.stringify(event);
    const seq = event.kind === 'message' ? event.message.seq : undefined;
    try {
      await this.publisher.publish(channel, payload);
      // A newer message on the channel tells the others about the seqs before it.
      if (seq !== undefined && seq >= (this.unsent.get(channel)?.seq ?? Number.POSITIVE_INFINITY)) {
        this.unsent.delete(channel);
      }
    } catch (err) {
      if (seq !== undefined) this.keepUnsent(channel, { payload, seq });
      this.log.debug({ err, channel }, 'redis bus: publish failed');
      throw new ChatError('bus_unavailable');
    }
  }

  async subscribe(topic: string, handler: BusHandler): Promise<Unsubscribe> {
    const name = this.prefix + topic;
    let channel = this.channels.get(name);
    if (!channel) {
      channel = { handlers: new Set(), subscribed: this.subscribeChannel(name) };
      this.channels.set(name, channel);
    }
    const entry = channel;
    // Each subscription is its own entry, even for a handler subscribed twice.
    const own: BusHandler = (event) => handler(event);
    entry.handlers.add(own);
    const unsubscribe = async () => {
      if (!entry.handlers.delete(own) || entry.handlers.size > 0) return;
      if (this.channels.get(name) !== entry) return;
      this.channels.delete(name);
      // While disconnected there is nothing to undo: the resubscription reads `channels`.
      if (this.subscriber.status === 'ready') {
        await this.subscriber.unsubscribe(name).catch((err) => this.warn(err, 'unsubscribe'));
      }
    };
    try {
      await entry.subscribed;
    } catch (err) {
      await unsubscribe();
      this.warn(err, 'subscribe');
      throw new ChatError('bus_unavailable');
    }
    return unsubscribe;
  }

  onReconnect(listener: () => void): void {
    this.reconnectListeners.push(listener);
  }

  async ping(): Promise<void> {
    if (this.subscriber.status !== 'ready') throw new ChatError('bus_unavailable');
    try {
      await this.publisher.ping();
    } catch {
      throw new ChatError('bus_unavailable');
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.retryTimer);
    this.channels.clear();
    this.unsent.clear();
    await Promise.all([closeRedis(this.publisher), closeRedis(this.subscriber)]);
  }

  private async subscribeChannel(name: string): Promise<void> {
    // Down: the subscription is made with all the others when the connection is back.
    if (this.subscriber.status !== 'ready') return;
    await this.subscriber.subscribe(name);
  }

  private resubscribe(): void {
    const names = [...this.channels.keys()];
    const subscribed = names.length > 0 ? this.subscriber.subscribe(...names) : Promise.resolve();
    subscribed.then(
      () => {
        this.log.info({ channels: names.length }, 'redis bus resubscribed; resyncing rooms');
        for (const listener of this.reconnectListeners) listener();
      },
      // Dropped again before it was done: the next 'ready' tries again.
      (err) => this.warn(err, 'resubscribe'),
    );
  }

  private dispatch(channel: string, payload: string): void {
    const entry = this.channels.get(channel);
    if (!entry) return;
    let event: BusEvent;
    try {
      event = JSON.parse(payload) as BusEvent;
    } catch (err) {
      this.warn(err, 'malformed payload');
      return;
    }
    for (const handler of entry.handlers) {
      try {
        handler(event);
      } catch (err) {
        this.warn(err, 'handler failed');
      }
    }
  }

  private keepUnsent(channel: string, unsent: Unsent): void {
    const kept = this.unsent.get(channel);
    if (kept && kept.seq > unsent.seq) return;
    this.unsent.delete(channel);
    if (this.unsent.size >= MAX_UNSENT) {
      const oldest = this.unsent.keys().next().value;
      if (oldest !== undefined) this.unsent.delete(oldest);
    }
    this.unsent.set(channel, unsent);
    this.retryTimer ??= setTimeout(() => this.retryUnsent(), RETRY_MS).unref();
  }

  /** Publishes the kept message events, oldest first; what fails again waits for the next try. */
  private retryUnsent(): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    if (this.closed || this.unsent.size === 0 || this.publisher.status !== 'ready') {
      if (this.unsent.size > 0 && !this.closed) {
        this.retryTimer = setTimeout(() => this.retryUnsent(), RETRY_MS).unref();
      }
      return;
    }
    for (const [channel, unsent] of [...this.unsent]) {
      this.unsent.delete(channel);
      this.publisher.publish(channel, unsent.payload).catch(() => {
        if (!this.closed) this.keepUnsent(channel, unsent);
      });
    }
  }

  private warn(err: unknown, what: string): void {
    this.log.warn({ err }, `redis bus: ${what}`);
  }
}
