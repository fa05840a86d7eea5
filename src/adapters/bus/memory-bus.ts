import type { Bus, BusEvent, BusHandler, Unsubscribe } from '../../core/ports/bus.js';

/**
 * The embedded bus: one process, no network. Events are handed over on a
 * microtask, so a publisher never runs subscribers inside its own call.
 */
export class MemoryBus implements Bus {
  private readonly handlers = new Map<string, Set<BusHandler>>();

  async publish(topic: string, event: BusEvent): Promise<void> {
    const handlers = this.handlers.get(topic);
    if (!handlers) return;
    for (const handler of handlers) queueMicrotask(() => handler(event));
  }

  async subscribe(topic: string, handler: BusHandler): Promise<Unsubscribe> {
    // Each subscription is its own entry, even for a handler subscribed twice.
    const entry: BusHandler = (event) => handler(event);
    let handlers = this.handlers.get(topic);
    if (!handlers) {
      handlers = new Set();
      this.handlers.set(topic, handlers);
    }
    handlers.add(entry);
    return async () => {
      handlers.delete(entry);
      if (handlers.size === 0 && this.handlers.get(topic) === handlers) this.handlers.delete(topic);
    };
  }

  onReconnect(): void {
    // An in-process bus never disconnects.
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    this.handlers.clear();
  }
}
