/**
 * What the chat tells its operators' dashboards. Every call is on a hot
 * path: an implementation only adds to counters, and callers count once per
 * fan-out or frame, never per socket write. `NO_METRICS` when they are off.
 */
export interface Metrics {
  /** `count` local connections were handed one message; `sentAt` (its ISO time) times live ones. */
  delivered(count: number, sentAt?: string): void;
  /** A frame of this type (or `text`, a plain line on `/api/serve`) came in over a WebSocket. */
  received(frameType: string): void;
  /** A request or frame was answered with this error code. */
  error(code: string): void;
  /** A connection was cut for reading too slowly. */
  slowConsumer(): void;
}

export const NO_METRICS: Metrics = Object.freeze({
  delivered() {},
  received() {},
  error() {},
  slowConsumer() {},
});
