import type { ChatMessage, UserView } from '../../protocol/message.js';
import type { RoomSignal } from '../domain.js';
import { type Metrics, NO_METRICS } from '../ports/metrics.js';
import type { Store } from '../ports/store.js';
import {
  Delivered,
  type PresenceChange,
  presenceBatch,
  type SignalFrame,
  signalFrame,
} from './delivered.js';
import type { RoomSubscription } from './room-subscription.js';

/** How long an out-of-order message waits for the one before it before the store is asked. */
export const GAP_WAIT_MS = 50;
const PAGE = 200;
/** Out-of-order messages held at most; past it they are left to the next gap fill from the store. */
const MAX_PENDING = 10_000;

/** When a room's presence changes are sent one by one, and when they are batched. */
export interface PresencePolicy {
  /** Above this many local connections in the room, presence changes are batched. */
  batchAbove: number;
  /** How often a big room's batch goes out, in milliseconds. */
  batchMs: number;
}

export const DEFAULT_PRESENCE_POLICY: PresencePolicy = { batchAbove: 100, batchMs: 1_000 };

/**
 * Changes one batch lists at most; the rest are only counted (`more`), so a
 * batch frame has a bounded size and filling a room of N costs O(N) frames of
 * bounded size per batch period, never N squared bytes.
 */
export const PRESENCE_BATCH_MAX = 50;

/** Whether a user left or was removed while it was watched; `end` stops watching. */
export interface RemovalWatch {
  heard(): boolean;
  end(): void;
}

/** What a feed that is not listening offers: it cannot say, so assume the worst. */
export const UNWATCHED: RemovalWatch = {
  heard: () => true,
  end: () => {},
};

/**
 * One room's stream on this node. The bus may reorder messages from different
 * publishers or drop them in an outage; the feed restores seq order, fills
 * gaps from the store, drops repeats, and hands each message to every local
 * subscription exactly once.
 */
export class RoomFeed {
  /** Highest seq handed to subscriptions, contiguous from the room's start; -1 until ready. */
  lastSeq = -1;
  readonly subscriptions = new Set<RoomSubscription>();
  private readonly pending = new Map<number, ChatMessage>();
  private gapTimer: ReturnType<typeof setTimeout> | undefined;
  private filling = false;
  private closed = false;
  /** Joins in flight, each told when its user leaves or is removed (see `watchRemovals`). */
  private readonly removalWatches = new Set<{ userId: string; heard: boolean }>();
  /** A big room's presence changes since the last batch, the latest per user. */
  private readonly presenceBatch = new Map<string, PresenceChange>();
  private batchTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    readonly roomId: string,
    private readonly store: Store,
    private readonly onError: (err: unknown) => void,
    private readonly presence: PresencePolicy = DEFAULT_PRESENCE_POLICY,
    private readonly metrics: Metrics = NO_METRICS,
  ) {}

  /** Sets the starting point once the bus subscription is live, so nothing published after it is missed. */
  start(lastSeq: number): void {
    this.lastSeq = lastSeq;
    this.drain();
  }

  receive(message: ChatMessage): void {
    if (this.closed) return;
    if (this.lastSeq >= 0 && message.seq <= this.lastSeq) return;
    if (this.pending.size >= MAX_PENDING) return;
    this.pending.set(message.seq, message);
    this.drain();
  }

  /**
   * Hands a signal to every local connection, encoded once. In a big room,
   * presence changes (and silent leaves) are gathered and sent as one
   * `presences` frame every `batchMs`: one join costs O(1), not a frame to
   * every member, so filling a room does not cost the square of its size.
   */
  signal(signal: RoomSignal): void {
    if (this.closed) return;
    if (signal.kind === 'left') this.removeMember(signal.user.id, signal.by);
    const presence = signal.kind === 'presence' || signal.kind === 'left';
    if (presence && this.subscriptions.size > this.presence.batchAbove) {
      const online = signal.kind === 'presence' && signal.online;
      this.presenceBatch.set(signal.user.id, { user: signal.user, online });
      this.batchTimer ??= setTimeout(() => this.flushPresence(), this.presence.batchMs);
      return;
    }
    this.broadcast(signalFrame(signal));
  }

  /** After a bus outage: a leave or removal may have been lost in flight, so every watch counts one heard. */
  missedSignals(): void {
    for (const watch of this.removalWatches) watch.heard = true;
  }

  /** Re-reads the store past `lastSeq`: after a bus outage, messages may have been lost in flight. */
  async resync(): Promise<void> {
    if (this.lastSeq < 0 || this.closed) return;
    for (;;) {
      const page = await this.store.history(this.roomId, { after: this.lastSeq, limit: PAGE });
      for (const message of page) this.receive(message);
      if (page.length < PAGE || this.closed) return;
    }
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.gapTimer);
    clearTimeout(this.batchTimer);
    this.pending.clear();
    this.presenceBatch.clear();
  }

  private flushPresence(): void {
    this.batchTimer = undefined;
    if (this.closed || this.presenceBatch.size === 0) return;
    const changes: PresenceChange[] = [];
    for (const change of this.presenceBatch.values()) {
      if (changes.length === PRESENCE_BATCH_MAX) break;
      changes.push(change);
    }
    const more = this.presenceBatch.size - changes.length;
    this.presenceBatch.clear();
    this.broadcast(presenceBatch(this.roomId, changes, more));
  }

  private broadcast(frame: SignalFrame): void {
    for (const subscription of this.subscriptions) subscription.subscriber.signal(frame);
  }

  private drain(): void {
    if (this.lastSeq < 0) return;
    for (const seq of this.pending.keys()) if (seq <= this.lastSeq) this.pending.delete(seq);
    let next = this.pending.get(this.lastSeq + 1);
    while (next) {
      this.pending.delete(next.seq);
      this.lastSeq = next.seq;
      this.emit(next);
      next = this.pending.get(this.lastSeq + 1);
    }
    if (this.pending.size === 0) {
      clearTimeout(this.gapTimer);
      this.gapTimer = undefined;
    } else {
      this.gapTimer ??= setTimeout(() => this.fillGap(), GAP_WAIT_MS);
    }
  }

  private emit(message: ChatMessage): void {
    const delivered = new Delivered(message);
    for (const subscription of this.subscriptions) subscription.push(delivered);
    // Once per fan-out, not per connection: the count and the latency of this node's copy.
    if (this.subscriptions.size > 0) this.metrics.delivered(this.subscriptions.size, message.sent);
    if (message.type === 'left') this.removeMember(message.memberId);
  }

  /**
   * Watches for `userId` leaving or being removed from now on. `heard()` is
   * also true when the feed was not listening throughout (not started yet,
   * or closed since): then only the store can say.
   */
  watchRemovals(userId: string): RemovalWatch {
    if (this.lastSeq < 0 || this.closed) return UNWATCHED;
    const watch = { userId, heard: false };
    this.removalWatches.add(watch);
    return {
      heard: () => watch.heard || this.closed,
      end: () => this.removalWatches.delete(watch),
    };
  }

  /** A member removed `by` someone stops receiving the room on this node's connections, at once. */
  remove(userId: string, by: UserView): void {
    if (!this.closed) this.removeMember(userId, by);
  }

  /** A member who left (or was removed `by` someone) stops receiving the room on every connection. */
  private removeMember(userId: string, by?: UserView): void {
    for (const watch of this.removalWatches) if (watch.userId === userId) watch.heard = true;
    for (const subscription of this.subscriptions) {
      if (subscription.subscriber.user.id !== userId) continue;
      this.subscriptions.delete(subscription);
      subscription.subscriber.removed(this.roomId, by);
    }
  }

  private fillGap(): void {
    this.gapTimer = undefined;
    if (this.filling || this.closed) return;
    this.filling = true;
    this.resync()
      .catch(this.onError)
      .finally(() => {
        this.filling = false;
        if (this.pending.size > 0 && !this.closed) {
          this.gapTimer ??= setTimeout(() => this.fillGap(), GAP_WAIT_MS);
        }
      });
  }
}
