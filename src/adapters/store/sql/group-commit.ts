import type { Connection, Engine } from './engine.js';

/** One queued write: runs inside the group's transaction. */
export type Work<T> = (tx: Connection) => Promise<T>;

interface Queued {
  work: Work<unknown>;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; err: unknown };

/**
 * The group commit: every write queued during one event-loop turn, whatever
 * its room, is committed in one transaction at the end of that turn
 * (setImmediate), so that a burst of sends costs one commit (one WAL write,
 * one fsync on PostgreSQL) rather than one each. A write's promise settles
 * only after the commit, so an ack that follows it is for a stored message.
 *
 * One group runs at a time, in queue order: a connection's writes are stored
 * in the order it made them, and the writes that arrive meanwhile form the
 * next group. A group is first run plainly; if one write fails, the group is
 * rolled back and run again with each write in its own savepoint, so that the
 * failing write fails alone (a write is only SQL, so running it again is safe).
 *
 * On SQLite every statement resolves at once, so a whole group runs within
 * the turn that started it: no read of another caller sees a group half done.
 */
export class GroupCommit {
  private queue: Queued[] = [];
  private running: Promise<void> | undefined;
  private scheduled = false;

  constructor(private readonly engine: Engine) {}

  write<T>(work: Work<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      this.schedule();
    });
  }

  /** Resolves when every write queued so far has settled. */
  async drain(): Promise<void> {
    while (this.running || this.queue.length > 0) {
      if (!this.running) this.running = this.runNext();
      await this.running;
    }
  }

  private schedule(): void {
    if (this.scheduled || this.running) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (!this.running) this.running = this.runNext();
    });
  }

  private async runNext(): Promise<void> {
    const batch = this.queue;
    this.queue = [];
    try {
      if (batch.length > 0) await this.commit(batch);
    } finally {
      this.running = undefined;
      if (this.queue.length > 0) this.schedule();
    }
  }

  private async commit(batch: Queued[]): Promise<void> {
    let conn: Connection;
    try {
      conn = await this.engine.connect();
    } catch (err) {
      for (const item of batch) item.reject(err);
      return;
    }
    try {
      const outcomes =
        (await this.attempt(conn, batch, false)) ??
        ((await this.attempt(conn, batch, true)) as Outcome[]);
      for (const [i, item] of batch.entries()) {
        const outcome = outcomes[i] as Outcome;
        if (outcome.ok) item.resolve(outcome.value);
        else item.reject(outcome.err);
      }
    } catch (err) {
      // The transaction itself failed (the commit, the connection): nothing of the group is stored.
      await conn.control('rollback').catch(() => {});
      for (const item of batch) item.reject(err);
    } finally {
      conn.release();
    }
  }

  /**
   * Runs the group in one transaction and commits it. Without savepoints it
   * gives up at the first failing write of a group of several (undefined: run
   * it again with them); with them, each failure is that write's alone.
   */
  private async attempt(
    conn: Connection,
    batch: Queued[],
    savepoints: boolean,
  ): Promise<Outcome[] | undefined> {
    const outcomes: Outcome[] = [];
    await conn.control('begin');
    for (const item of batch) {
      if (savepoints) await conn.control('savepoint write');
      try {
        outcomes.push({ ok: true, value: await item.work(conn) });
        if (savepoints) await conn.control('release savepoint write');
      } catch (err) {
        if (!savepoints && batch.length > 1) {
          await conn.control('rollback');
          return undefined;
        }
        outcomes.push({ ok: false, err });
        if (savepoints) {
          await conn.control('rollback to savepoint write');
          await conn.control('release savepoint write');
        } else {
          // A group of one: nothing else to keep. A connection the rollback fails on is dropped.
          await conn.control('rollback').catch(() => {});
          return outcomes;
        }
      }
    }
    await conn.control('commit');
    return outcomes;
  }
}
