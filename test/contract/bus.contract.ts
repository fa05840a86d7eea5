import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Bus, BusEvent } from '../../src/core/ports/bus.js';
import type { ChatMessage } from '../../src/protocol/message.js';

/** Collects what a subscription receives, and waits (with a deadline) for a count. */
class Inbox {
  readonly events: BusEvent[] = [];
  private wake: (() => void) | undefined;
  readonly handler = (event: BusEvent) => {
    this.events.push(event);
    this.wake?.();
  };

  async waitFor(count: number, timeoutMs = 3_000): Promise<BusEvent[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.events.length < count) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`got ${this.events.length} of ${count} events`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    return this.events;
  }
}

function message(topicTag: string, seq: number): BusEvent {
  const m: ChatMessage = {
    id: crypto.randomUUID(),
    roomId: topicTag,
    seq,
    memberId: 'u1',
    memberName: 'Ann',
    type: 'chat',
    message: `hello <b>${seq}</b> ✓`,
    sent: new Date().toISOString(),
    clientId: `c-${seq}`,
  };
  return { kind: 'message', message: m };
}

/**
 * What every Bus adapter must do. `open` is called twice, for two nodes on
 * one bus; an in-process bus returns the same instance both times.
 */
export function busContract(
  name: string,
  open: () => Promise<Bus>,
  options: { nodes: 'shared' | 'separate' },
): void {
  describe(`Bus contract: ${name}`, () => {
    let nodeA: Bus;
    let nodeB: Bus;

    before(async () => {
      nodeA = await open();
      nodeB = options.nodes === 'shared' ? nodeA : await open();
    });
    after(async () => {
      await nodeA.close();
      if (nodeB !== nodeA) await nodeB.close();
    });

    it('delivers events intact, in publish order, to every subscriber of the topic on every node', async () => {
      const topic = `room:${crypto.randomUUID()}`;
      const onA = new Inbox();
      const onB = new Inbox();
      const elsewhere = new Inbox();
      await nodeA.subscribe(topic, onA.handler);
      await nodeB.subscribe(topic, onB.handler);
      await nodeB.subscribe(`room:${crypto.randomUUID()}`, elsewhere.handler);
      const sent = Array.from({ length: 20 }, (_, i) => message(topic, i + 1));
      for (const event of sent) await nodeA.publish(topic, event);
      assert.deepEqual(await onA.waitFor(20), sent);
      assert.deepEqual(await onB.waitFor(20), sent);
      assert.equal(elsewhere.events.length, 0);
    });

    it('carries every kind of event', async () => {
      const topic = `room:${crypto.randomUUID()}`;
      const inbox = new Inbox();
      await nodeB.subscribe(topic, inbox.handler);
      const user = { id: 'u1', name: 'Ann' };
      const events: BusEvent[] = [
        { kind: 'presence', roomId: 'r', user, online: true },
        { kind: 'typing', roomId: 'r', user },
        { kind: 'room', room: { roomId: 'r', roomName: 'Tea', visibility: 'public' } },
      ];
      for (const event of events) await nodeA.publish(topic, event);
      assert.deepEqual(await inbox.waitFor(3), events);
    });

    it('stops delivering after unsubscribe, to that subscription only', async () => {
      const topic = `room:${crypto.randomUUID()}`;
      const kept = new Inbox();
      const dropped = new Inbox();
      await nodeB.subscribe(topic, kept.handler);
      const unsubscribe = await nodeB.subscribe(topic, dropped.handler);
      await nodeA.publish(topic, message(topic, 1));
      await dropped.waitFor(1);
      await unsubscribe();
      await nodeA.publish(topic, message(topic, 2));
      await kept.waitFor(2);
      assert.equal(dropped.events.length, 1);
    });

    it('answers a ping', async () => {
      await nodeA.ping();
      await nodeB.ping();
    });
  });
}
