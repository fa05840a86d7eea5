/**
 * Read markers held back by READ_RATE on one connection: the newest per
 * room, written once the limit allows, so a flood of `read` frames costs a
 * few writes and the last position is never lost. One entry per joined room.
 */
export class DeferredReads {
  private readonly newest = new Map<string, number>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();

  /** Keeps `seq` as the room's newest; the first time, calls `flush` with the newest after `waitMs`. */
  defer(roomId: string, seq: number, waitMs: number, flush: (roomId: string, seq: number) => void) {
    this.newest.set(roomId, Math.max(seq, this.newest.get(roomId) ?? 0));
    if (this.timers.has(roomId)) return;
    const timer = setTimeout(() => {
      this.timers.delete(roomId);
      const newest = this.newest.get(roomId);
      this.newest.delete(roomId);
      if (newest !== undefined) flush(roomId, newest);
    }, waitMs);
    timer.unref();
    this.timers.set(roomId, timer);
  }

  clear(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.newest.clear();
  }
}
