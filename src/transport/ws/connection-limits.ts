/** Counts open connections per key (user id or client address) against a limit; 0 is no limit. */
export class ConnectionCounter {
  private readonly counts = new Map<string, number>();

  constructor(private readonly limit: number) {}

  /** Counts one more for `key`, or returns false when it is at its limit. */
  tryAdd(key: string): boolean {
    const count = this.counts.get(key) ?? 0;
    if (this.limit > 0 && count >= this.limit) return false;
    this.counts.set(key, count + 1);
    return true;
  }

  remove(key: string): void {
    const count = (this.counts.get(key) ?? 0) - 1;
    if (count > 0) this.counts.set(key, count);
    else this.counts.delete(key);
  }
}
