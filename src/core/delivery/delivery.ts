import type { ChatMessage, RoomView, UserView } from '../../protocol/message.js';
import type { RoomSignal } from '../domain.js';
import { ChatError } from '../errors.js';
import {
  type Bus,
  type BusEvent,
  type NodeNotices,
  type SessionEndReason,
  topics,
  type Unsubscribe,
} from '../ports/bus.js';
import { type Metrics, NO_METRICS } from '../ports/metrics.js';
import type { Store } from '../ports/store.js';
import {
  DEFAULT_PRESENCE_POLICY,
  type PresencePolicy,
  type RemovalWatch,
  RoomFeed,
  UNWATCHED,
} from './room-feed.js';
import { RoomSubscription } from './room-subscription.js';
import type { Subscriber } from './subscriber.js';

const HISTORY_PAGE = 200;
/**
 * How long a room's feed outlives its last local subscriber. A user who
 * comes back soon (a reload, a reconnect, a tab's leave and another's join)
 * finds it live: no bus subscription to make again and no store read to
 * start it from.
 */
export const FEED_LINGER_MS = 30_000;
/** Feeds kept without subscribers at most; past it, the longest idle one stops. */
export const LINGERING_MAX = 1_000;

interface FeedEntry {
  feed: RoomFeed;
  ready: Promise<void>;
  unsubscribe: Unsubscribe | undefined;
  /** Set while the feed has no subscribers: when it stops. */
  lingering: ReturnType<typeof setTimeout> | undefined;
}

/** Hears of rooms to show: to everyone, or, with `audience`, to those user ids only. */
export type DirectoryListener = (room: RoomView, audience: string[] | undefined) => void;

/** Hears of ended sessions and deleted rooms, from any node. */
export type NoticeListener = (
  event: Extract<BusEvent, { kind: 'sessionsEnded' } | { kind: 'roomDeleted' }>,
) => void;

/**
 * This node's side of the pub/sub: one feed per room with local subscribers,
 * one bus subscription per feed, and the public room directory.
 */
export class Delivery implements NodeNotices {
  private readonly feeds = new Map<string, FeedEntry>();
  /** Feeds without subscribers, longest idle first. */
  private readonly idle = new Set<FeedEntry>();
  private readonly directoryListeners = new Set<DirectoryListener>();
  private readonly noticeListeners = new Set<NoticeListener>();
  private directoryUnsubscribe: Unsubscribe | undefined;

  constructor(
    private readonly store: Store,
    private readonly bus: Bus,
    private readonly onError: (err: unknown) => void,
    private readonly presence: PresencePolicy = DEFAULT_PRESENCE_POLICY,
    private readonly metrics: Metrics = NO_METRICS,
  ) {
    bus.onReconnect(async () => {
      for (const { feed } of this.feeds.values()) feed.missedSignals();
      // Idle feeds stop rather than catch up: nobody is waiting on them.
      for (const entry of [...this.idle]) this.stop(entry);
      // One room at a time: a node serving thousands of rooms must not queue them all on
      // the store's connection pool at once, where sends would time out behind them.
      for (const { feed } of [...this.feeds.values()]) await feed.resync().catch(onError);
    });
  }

  async start(): Promise<void> {
    this.directoryUnsubscribe = await this.bus.subscribe(topics.directory, (event) => {
      if (event.kind === 'room')
        for (const listener of this.directoryListeners) listener(event.room, event.audience);
      if (event.kind === 'sessionsEnded' || event.kind === 'roomDeleted')
        for (const listener of this.noticeListeners) listener(event);
    });
  }

  /**
   * Subscribes a connection to a room. Without `since`, it receives messages
   * after the room's current last seq; with it, everything after `since`,
   * history first. Resolves with the last seq once history is handed over.
   * `verify`, when given, runs once the subscription is in place (so that
   * what happens next reaches it) and before anything is handed over, live
   * messages held meanwhile: false refuses the subscription (room_not_found).
   */
  async subscribe(
    roomId: string,
    subscriber: Subscriber,
    since: number | undefined,
    beforeHistory: (lastSeq: number) => void,
    verify?: () => Promise<boolean>,
  ): Promise<RoomSubscription> {
    const entry = this.feedFor(roomId);
    await entry.ready;
    const { feed } = entry;
    const lastSeq = feed.lastSeq;
    if (since !== undefined && since > lastSeq) await this.refuseFutureSince(roomId, since);
    const catchingUp = since !== undefined && since < lastSeq;
    const held = catchingUp || verify !== undefined;
    const subscription = new RoomSubscription(roomId, subscriber, since ?? lastSeq, held);
    feed.subscriptions.add(subscription);
    if (verify) {
      const verified = await verify().catch((err: unknown) => {
        this.unsubscribe(subscription);
        throw err;
      });
      if (!verified) {
        this.unsubscribe(subscription);
        throw new ChatError('room_not_found');
      }
    }
    beforeHistory(lastSeq);
    if (verify && !catchingUp) subscription.finishCatchUp(true);
    if (catchingUp) {
      try {
        await this.catchUp(subscription, lastSeq);
      } catch (err) {
        this.unsubscribe(subscription);
        throw err;
      }
    }
    return subscription;
  }

  /**
   * A join checks the membership, then subscribes: a removal in between
   * reaches no subscription. The watch says whether one may have happened:
   * this node's feed of the room heard `userId` leave or be removed, or was
   * not listening throughout (then the store must say).
   */
  watchRemovals(roomId: string, userId: string): RemovalWatch {
    return this.feeds.get(roomId)?.feed.watchRemovals(userId) ?? UNWATCHED;
  }

  /**
   * A `since` above the room's last seq would wait for messages the client
   * claims to have and the room never had, so it would hear nothing live. The
   * feed may lag the store (a message stored on another node, still on the
   * bus), so the store decides.
   */
  private async refuseFutureSince(roomId: string, since: number): Promise<void> {
    const stored = (await this.store.getRoom(roomId))?.lastSeq ?? 0;
    if (since > stored) {
      throw new ChatError(
        'invalid_request',
        `since (${since}) is above the room's last seq (${stored}).`,
      );
    }
  }

  unsubscribe(subscription: RoomSubscription): void {
    subscription.cancelled = true;
    const entry = this.feeds.get(subscription.roomId);
    if (!entry) return;
    entry.feed.subscriptions.delete(subscription);
    if (entry.feed.subscriptions.size > 0 || entry.lingering) return;
    entry.lingering = setTimeout(() => this.stop(entry), FEED_LINGER_MS);
    this.idle.add(entry);
    if (this.idle.size > LINGERING_MAX) {
      const [longest] = this.idle;
      if (longest) this.stop(longest);
    }
  }

  /** Closes a feed and ends its bus subscription. */
  private stop(entry: FeedEntry): void {
    clearTimeout(entry.lingering);
    this.idle.delete(entry);
    if (this.feeds.get(entry.feed.roomId) === entry) this.feeds.delete(entry.feed.roomId);
    entry.feed.close();
    entry.ready.then(() => entry.unsubscribe?.()).catch(this.onError);
  }

  /**
   * Sends a stored message to every node: to local subscribers at once, without
   * the bus round trip, and over the bus to the others. A bus failure loses
   * nothing: other nodes fill the gap from the store.
   */
  publish(message: ChatMessage): void {
    this.feeds.get(message.roomId)?.feed.receive(message);
    this.bus.publish(topics.room(message.roomId), { kind: 'message', message }).catch(this.onError);
  }

  /** Presence, typing and roles: best effort, never stored. */
  signal(signal: RoomSignal): void {
    this.bus.publish(topics.room(signal.roomId), signal).catch(this.onError);
  }

  /**
   * `user` was removed `by` someone: their connections on this node leave
   * the room at once, told who removed them, and the others through the bus.
   * Called before the removal's notice is published, which then reaches
   * them no more (on other nodes the bus keeps one publisher's order).
   */
  removed(roomId: string, user: UserView, by: UserView): void {
    this.feeds.get(roomId)?.feed.remove(user.id, by);
    this.signal({ kind: 'left', roomId, user, by });
  }

  /** Tells every connection on every node about a room: a new public one, or (with `audience`) one those users were added to. */
  announce(room: RoomView, audience?: string[]): void {
    const event: BusEvent = audience ? { kind: 'room', room, audience } : { kind: 'room', room };
    this.bus.publish(topics.directory, event).catch(this.onError);
  }

  onDirectory(listener: DirectoryListener): () => void {
    this.directoryListeners.add(listener);
    return () => this.directoryListeners.delete(listener);
  }

  /**
   * Every node, this one included (through the bus), closes the user's
   * connections. A bus failure is logged: the stored sign-out still refuses
   * the tokens at the next request or connection.
   */
  async sessionsEnded(userId: string, reason: SessionEndReason): Promise<void> {
    await this.bus
      .publish(topics.directory, { kind: 'sessionsEnded', userId, reason })
      .catch(this.onError);
  }

  async roomDeleted(roomId: string, audience: string[] | undefined): Promise<void> {
    const event: BusEvent = audience
      ? { kind: 'roomDeleted', roomId, audience }
      : { kind: 'roomDeleted', roomId };
    await this.bus.publish(topics.directory, event).catch(this.onError);
  }

  onNotice(listener: NoticeListener): () => void {
    this.noticeListeners.add(listener);
    return () => this.noticeListeners.delete(listener);
  }

  async close(): Promise<void> {
    for (const entry of this.feeds.values()) {
      clearTimeout(entry.lingering);
      entry.feed.close();
    }
    this.feeds.clear();
    this.idle.clear();
    this.directoryListeners.clear();
    this.noticeListeners.clear();
    await this.directoryUnsubscribe?.();
  }

  private feedFor(roomId: string): FeedEntry {
    const existing = this.feeds.get(roomId);
    if (existing) {
      clearTimeout(existing.lingering);
      existing.lingering = undefined;
      this.idle.delete(existing);
      return existing;
    }
    const feed = new RoomFeed(roomId, this.store, this.onError, this.presence, this.metrics);
    const entry: FeedEntry = {
      feed,
      ready: Promise.resolve(),
      unsubscribe: undefined,
      lingering: undefined,
    };
    entry.ready = (async () => {
      entry.unsubscribe = await this.bus.subscribe(topics.room(roomId), (event) =>
        this.onRoomEvent(feed, event),
      );
      const room = await this.store.getRoom(roomId);
      feed.start(room?.lastSeq ?? 0);
    })();
    entry.ready.catch(() => {
      if (this.feeds.get(roomId) === entry) this.feeds.delete(roomId);
      clearTimeout(entry.lingering);
      this.idle.delete(entry);
      feed.close();
      entry.unsubscribe?.().catch(this.onError);
    });
    this.feeds.set(roomId, entry);
    return entry;
  }

  private onRoomEvent(feed: RoomFeed, event: BusEvent): void {
    switch (event.kind) {
      case 'message':
        feed.receive(event.message);
        break;
      case 'presence':
      case 'typing':
      case 'left':
      case 'role':
        feed.signal(event);
        break;
    }
  }

  /** Sends history from the subscription's cursor up to `target`, then the live backlog. */
  private async catchUp(subscription: RoomSubscription, target: number): Promise<void> {
    for (;;) {
      if (subscription.cancelled) return;
      if (subscription.cursor >= target && subscription.finishCatchUp()) return;
      const page = await this.store.history(subscription.roomId, {
        after: subscription.cursor,
        limit: HISTORY_PAGE,
      });
      subscription.pushHistory(page);
      this.metrics.delivered(page.length);
      if (page.length === 0) {
        // The store has nothing more: whatever gap remains cannot be filled.
        subscription.finishCatchUp(true);
        return;
      }
      await subscription.subscriber.drained();
    }
  }
}
