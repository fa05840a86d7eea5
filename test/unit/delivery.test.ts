import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it, type TestContext } from 'node:test';
import { MemoryBus } from '../../src/adapters/bus/memory-bus.js';
import { openSqliteStore } from '../../src/adapters/store/sqlite/open-sqlite-store.js';
import type { Delivered, SignalFrame } from '../../src/core/delivery/delivered.js';
import { Delivery, FEED_LINGER_MS } from '../../src/core/delivery/delivery.js';
import type { Subscriber } from '../../src/core/delivery/subscriber.js';
import {
  type Bus,
  type BusEvent,
  type BusHandler,
  topics,
  type Unsubscribe,
} from '../../src/core/ports/bus.js';
import type { Store } from '../../src/core/ports/store.js';
import type { ChatMessage } from '../../src/protocol/message.js';

/** A subscriber that records the seqs it is handed, and can wait for a count. */
class Recorder implements Subscriber {
  readonly user = { id: 'reader', name: 'Reader' };
  readonly seqs: number[] = [];
  private wake: (() => void) | undefined;

  message(delivered: Delivered): void {
    this.seqs.push(delivered.message.seq);
    this.wake?.();
  }
  signal(_frame: SignalFrame): void {}
  removed(): void {}
  async drained(): Promise<void> {}

  async waitFor(count: number, timeoutMs = 2_000): Promise<number[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.seqs.length < count) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`got ${this.seqs.join(',')} waiting for ${count}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    return this.seqs;
  }
}

/** A new public room of the store, with no member. */
async function newRoom(store: Store): Promise<string> {
  const room = await store.createRoom({
    id: crypto.randomUUID(),
    name: 'r',
    visibility: 'public',
    createdBy: null,
    createdAt: new Date().toISOString(),
  });
  return room.id;
}

/** Stores one chat message in the room. */
async function appendTo(store: Store, roomId: string): Promise<ChatMessage> {
  const { message } = await store.append({
    id: crypto.randomUUID(),
    roomId,
    memberId: 'w',
    memberName: 'Writer',
    type: 'chat',
    message: 'x',
    sent: new Date().toISOString(),
  });
  return message;
}

describe('Delivery: ordering, repeats and gaps', () => {
  const dir = mkdtempSync(join(tmpdir(), 'confab-delivery-'));
  let store: Store;
  let bus: MemoryBus;
  let delivery: Delivery;
  const range = (from: number, to: number) =>
    Array.from({ length: to - from + 1 }, (_, i) => from + i);

  async function roomWith(count: number): Promise<{ roomId: string; stored: ChatMessage[] }> {
    const roomId = await newRoom(store);
    const stored: ChatMessage[] = [];
    for (let i = 0; i < count; i++) stored.push(await append(roomId));
    return { roomId, stored };
  }

  const append = (roomId: string) => appendTo(store, roomId);

  before(async () => {
    store = await openSqliteStore(dir, 'normal');
    bus = new MemoryBus();
    delivery = new Delivery(store, bus, (err) => assert.fail(String(err)));
    await delivery.start();
  });
  after(async () => {
    await delivery.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('restores seq order and drops repeats from the bus', async () => {
    const { roomId } = await roomWith(0);
    const reader = new Recorder();
    await delivery.subscribe(roomId, reader, undefined, () => {});
    const messages = [await append(roomId), await append(roomId), await append(roomId)];
    const [m1, m2, m3] = messages as [ChatMessage, ChatMessage, ChatMessage];
    for (const m of [m2, m1, m1, m3, m2])
      await bus.publish(topics.room(roomId), { kind: 'message', message: m });
    assert.deepEqual(await reader.waitFor(3), [1, 2, 3]);
  });

  it('fills a gap the bus never closes from the store', async () => {
    const { roomId } = await roomWith(0);
    const reader = new Recorder();
    await delivery.subscribe(roomId, reader, undefined, () => {});
    const lost = [await append(roomId), await append(roomId)];
    const arrived = await append(roomId);
    assert.equal(lost.length, 2);
    await bus.publish(topics.room(roomId), { kind: 'message', message: arrived });
    assert.deepEqual(await reader.waitFor(3), [1, 2, 3]);
  });

  it('replays history after since, then live messages, once each', async () => {
    const { roomId } = await roomWith(450);
    const reader = new Recorder();
    let joinedAt = -1;
    const subscribed = delivery.subscribe(roomId, reader, 10, (lastSeq) => {
      joinedAt = lastSeq;
    });
    // Live messages published while history is being replayed.
    const live = [await append(roomId), await append(roomId)];
    for (const message of live) delivery.publish(message);
    await subscribed;
    assert.ok(joinedAt >= 450 && joinedAt <= 452, `joined at ${joinedAt}`);
    assert.deepEqual(await reader.waitFor(442), range(11, 452));
  });

  it('starts after the last seq without since, and skips what the client already has', async () => {
    const { roomId } = await roomWith(5);
    const fresh = new Recorder();
    const ahead = new Recorder();
    await delivery.subscribe(roomId, fresh, undefined, () => {});
    for (let i = 0; i < 2; i++) delivery.publish(await append(roomId));
    // A client that already has up to 7 (a since above the last seq is refused).
    await delivery.subscribe(roomId, ahead, 7, () => {});
    delivery.publish(await append(roomId));
    assert.deepEqual(await fresh.waitFor(3), [6, 7, 8]);
    assert.deepEqual(await ahead.waitFor(1), [8]);
  });
});

/** The in-process bus, counting room subscriptions made and ended, with an outage's end on demand. */
class CountingBus implements Bus {
  subscribed = 0;
  unsubscribed = 0;
  private readonly inner = new MemoryBus();
  private readonly reconnectListeners: (() => void)[] = [];

  publish(topic: string, event: BusEvent): Promise<void> {
    return this.inner.publish(topic, event);
  }

  async subscribe(topic: string, handler: BusHandler): Promise<Unsubscribe> {
    const unsubscribe = await this.inner.subscribe(topic, handler);
    if (topic === topics.directory) return unsubscribe;
    this.subscribed++;
    return async () => {
      this.unsubscribed++;
      await unsubscribe();
    };
  }

  onReconnect(listener: () => void): void {
    this.reconnectListeners.push(listener);
  }

  reconnect(): void {
    for (const listener of this.reconnectListeners) listener();
  }

  async ping(): Promise<void> {}

  close(): Promise<void> {
    return this.inner.close();
  }
}

describe('Delivery: a feed outlives its last subscriber', () => {
  const dir = mkdtempSync(join(tmpdir(), 'confab-linger-'));
  let store: Store;
  let bus: CountingBus;
  let delivery: Delivery;
  /** Lets promise callbacks (the bus's unsubscribe after a feed stops) run. */
  const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

  /** A Delivery on a fresh counting bus, with mock timeouts, closed after the test. */
  async function startDelivery(t: TestContext): Promise<void> {
    t.mock.timers.enable({ apis: ['setTimeout'] });
    bus = new CountingBus();
    delivery = new Delivery(store, bus, (err) => assert.fail(String(err)));
    await delivery.start();
    t.after(() => delivery.close());
  }

  async function publishNew(roomId: string): Promise<void> {
    const message = await appendTo(store, roomId);
    await bus.publish(topics.room(roomId), { kind: 'message', message });
    await settle();
  }

  async function subscribe(roomId: string, reader = new Recorder()) {
    let lastSeq = -1;
    const subscription = await delivery.subscribe(roomId, reader, undefined, (seq) => {
      lastSeq = seq;
    });
    return { subscription, lastSeq, reader };
  }

  before(async () => {
    store = await openSqliteStore(dir, 'normal');
  });
  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps its bus subscription and its place for FEED_LINGER_MS, then ends them', async (t) => {
    await startDelivery(t);
    const roomId = await newRoom(store);

    const first = await subscribe(roomId);
    delivery.unsubscribe(first.subscription);
    // A message while nobody on this node listens moves the lingering feed on.
    await publishNew(roomId);
    const second = await subscribe(roomId);
    assert.equal(second.lastSeq, 1, 'the feed kept up while idle');
    assert.equal(bus.subscribed, 1, 'the second subscriber reused the bus subscription');
    await publishNew(roomId);
    assert.deepEqual(second.reader.seqs, [2]);

    delivery.unsubscribe(second.subscription);
    t.mock.timers.tick(FEED_LINGER_MS - 1);
    await settle();
    assert.equal(bus.unsubscribed, 0);
    t.mock.timers.tick(1);
    await settle();
    assert.equal(bus.unsubscribed, 1, 'the idle feed stopped');
    const third = await subscribe(roomId);
    assert.equal(bus.subscribed, 2);
    assert.equal(third.lastSeq, 2, 'a new feed starts from the store');
  });

  it('stops idle feeds when the bus comes back, rather than catching them up', async (t) => {
    await startDelivery(t);
    const [idleRoom, busyRoom] = [await newRoom(store), await newRoom(store)];
    const idle = await subscribe(idleRoom);
    const busy = await subscribe(busyRoom);
    delivery.unsubscribe(idle.subscription);
    bus.reconnect();
    await settle();
    assert.equal(bus.unsubscribed, 1, 'only the idle feed stopped');
    await publishNew(busyRoom);
    assert.deepEqual(busy.reader.seqs, [1]);
  });
});
