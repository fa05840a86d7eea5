/**
 * Runs the tasks of one key one after another, in the order they were
 * handed in; tasks of other keys run alongside. Holds one promise per key
 * with work queued, none once it is done.
 */
export class KeyedLane {
  private readonly tails = new Map<string, Promise<void>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key);
    const result = previous ? previous.then(task) : task();
    const tail = result.then(
      () => {},
      () => {},
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}
