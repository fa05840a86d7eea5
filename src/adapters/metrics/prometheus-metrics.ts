import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Bus } from '../../core/ports/bus.js';
import type { Metrics } from '../../core/ports/metrics.js';
import type { AppendResult, Store } from '../../core/ports/store.js';
import { timed } from './timed.js';

/** Seconds: from a millisecond to ten seconds, where chat latency lives. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10];

/** What the node can report on demand, read only when Prometheus scrapes. */
export interface Gauges {
  connections(): number;
  roomSubscriptions(): number;
}

/**
 * The Prometheus side of Metrics: one registry per server (no global
 * state), the process metrics, and counters that cost an addition each.
 */
export class PrometheusMetrics implements Metrics {
  readonly registry = new Registry();
  private readonly deliveredTotal: Counter;
  private readonly deliveryLatency: Histogram;
  private readonly receivedTotal: Counter<'type'>;
  private readonly receivedByType = new Map<string, Counter.Internal>();
  private readonly errorsTotal: Counter<'code'>;
  private readonly rateLimitedTotal: Counter;
  private readonly slowConsumersTotal: Counter;
  private readonly storedTotal: Counter;
  private readonly storeLatency: Histogram<'op' | 'outcome'>;
  private readonly busLatency: Histogram<'op' | 'outcome'>;

  constructor() {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.receivedTotal = new Counter({
      name: 'confab_frames_received_total',
      help: 'WebSocket frames received, by frame type (text: a plain line on /api/serve).',
      labelNames: ['type'],
      registers,
    });
    this.storedTotal = new Counter({
      name: 'confab_messages_stored_total',
      help: 'Messages stored by this node (chat messages and notices; repeats of an id not counted).',
      registers,
    });
    this.deliveredTotal = new Counter({
      name: 'confab_messages_delivered_total',
      help: 'Messages handed to connections of this node, one per message and connection (history replays included).',
      registers,
    });
    this.deliveryLatency = new Histogram({
      name: 'confab_delivery_latency_seconds',
      help: "From a message being stamped for the store to its fan-out to this node's connections.",
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.errorsTotal = new Counter({
      name: 'confab_errors_total',
      help: 'Errors answered to clients, over HTTP and WebSocket, by code.',
      labelNames: ['code'],
      registers,
    });
    this.rateLimitedTotal = new Counter({
      name: 'confab_rate_limited_total',
      help: 'Requests and frames refused with rate_limited.',
      registers,
    });
    this.slowConsumersTotal = new Counter({
      name: 'confab_slow_consumer_disconnects_total',
      help: 'Connections cut (4000) because their send queue overflowed.',
      registers,
    });
    this.storeLatency = new Histogram({
      name: 'confab_store_latency_seconds',
      help: 'Store calls, by operation and outcome (ok, error).',
      labelNames: ['op', 'outcome'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.busLatency = new Histogram({
      name: 'confab_bus_latency_seconds',
      help: 'Bus calls (publish, subscribe, ...), by operation and outcome (ok, error).',
      labelNames: ['op', 'outcome'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
  }

  /** Registers the gauges read from the running node when Prometheus scrapes. */
  watch(gauges: Gauges): void {
    const registers = [this.registry];
    new Gauge({
      name: 'confab_connections',
      help: 'Open WebSocket connections on this node.',
      registers,
      collect() {
        this.set(gauges.connections());
      },
    });
    new Gauge({
      name: 'confab_room_subscriptions',
      help: 'Rooms joined on open connections of this node (one per connection and room).',
      registers,
      collect() {
        this.set(gauges.roomSubscriptions());
      },
    });
  }

  delivered(count: number, sentAt?: string): void {
    this.deliveredTotal.inc(count);
    if (sentAt !== undefined) {
      this.deliveryLatency.observe(Math.max(0, Date.now() - Date.parse(sentAt)) / 1000);
    }
  }

  received(frameType: string): void {
    let counter = this.receivedByType.get(frameType);
    if (!counter) {
      counter = this.receivedTotal.labels(frameType);
      this.receivedByType.set(frameType, counter);
    }
    counter.inc();
  }

  error(code: string): void {
    this.errorsTotal.labels(code).inc();
    if (code === 'rate_limited') this.rateLimitedTotal.inc();
  }

  slowConsumer(): void {
    this.slowConsumersTotal.inc();
  }

  /** The store, with each call timed and stored messages counted. */
  instrumentStore(store: Store): Store {
    const latency = children(this.storeLatency);
    return timed(store, (op, seconds, failed, result) => {
      latency(op, failed).observe(seconds);
      if (op === 'append' && !failed && !(result as AppendResult).duplicate) this.storedTotal.inc();
      // join/leave store a notice too: counted when one was made.
      if ((op === 'join' || op === 'leave') && !failed && (result as { notice?: unknown }).notice) {
        this.storedTotal.inc();
      }
    });
  }

  /** The bus, with each call timed. */
  instrumentBus(bus: Bus): Bus {
    const latency = children(this.busLatency);
    return timed(bus, (op, seconds, failed) => latency(op, failed).observe(seconds));
  }

  /** The text exposition format, and its content type. */
  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}

/** A histogram's child per operation and outcome, looked up once each (labels() hashes every call). */
function children(histogram: Histogram<'op' | 'outcome'>) {
  const cache = new Map<string, Histogram.Internal<'op' | 'outcome'>>();
  return (op: string, failed: boolean) => {
    const key = failed ? `${op}!` : op;
    let child = cache.get(key);
    if (!child) {
      child = histogram.labels(op, failed ? 'error' : 'ok');
      cache.set(key, child);
    }
    return child;
  };
}
