import type { Connection, Engine, Tx } from './engine.js';

/** One queued write: runs inside the group's transaction. */
export type Work<T> = (tx: Tx) => Promise<T>;

interface Queued {
  /** The room the write touches ('' for none): a room's writes share a lane, and a group takes rooms in order. */
  key: string;
  work: Work<unknown>;
  /** The work is a single statement: alone in its group, it may run without BEGIN and COMMIT. */
  oneStatement: boolean;
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
 * Writes go into lanes by room: one lane on SQLite (one writer), several on
 * PostgreSQL, each with a connection of its own, so that one group's round
 * trips do not hold up the others. In a lane one group runs at a time, in
 * queue order: a room's writes are stored in the order they were made, and
 * the writes that arrive meanwhile form the lane's next group. A group takes
 * its rooms in one order (sorted by id, a room's writes kept in order), so
 * that groups of several nodes lock rooms in the same order. A group is
 * first run plainly (its statements pipelined where every write is one
 * statement and the driver can: Connection.together); if one write fails,
 * the group is rolled back and run again with each write in its own
 * savepoint, so that the failing write fails alone (a write is only SQL, so
 * running it again is safe).
 *
 * On SQLite every statement resolves at once, so a whole group runs within
 * the turn that started it: no read of another caller sees a group half done.
 */
export class GroupCommit {
  private readonly lanes: Lane[];

  constructor(engine: Engine, lanes: number) {
    this.lanes = Array.from({ length: Math.max(1, lanes) }, () => new Lane(engine));
  }

  write<T>(key: string, work: Work<T>, oneStatement = false): Promise<T> {
    const lane =
      this.lanes.length === 1 ? this.lanes[0] : this.lanes[hash(key) % this.lanes.length];
    return (lane as Lane).write(key, work, oneStatement);
  }

  /** Resolves when every write queued so far has settled. */
  async drain(): Promise<void> {
    await Promise.all(this.lanes.map((lane) => lane.drain()));
  }
}

/** One lane: its groups, one at a time. */
class Lane {
  private queue: Queued[] = [];
  private running: Promise<void> | undefined;
  private scheduled = false;

  constructor(private readonly engine: Engine) {}

  write<T>(key: string, work: Work<T>, oneStatement: boolean): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({
        key,
        work,
        oneStatement,
        resolve: resolve as (value: unknown) => void,
        reject,
      });
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
    // Stable: a room's writes keep their order.
    const batch = this.queue.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
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
      if (batch.length === 1 && this.engine.oneStatementWrites && batch[0]?.oneStatement) {
        // One statement is atomic by itself: nothing to group it with.
        const [item] = batch as [Queued];
        await item.work(conn).then(item.resolve, item.reject);
        return;
      }
      const outcomes =
        (await this.attempt(conn, batch, false)) ??
        ((await this.attempt(conn, batch, true)) as Outcome[]);
      for (const [i, item] of batch.entries()) {
        const outcome = outcomes[i] as Outcome;
        if (outcome.ok) item.resolve(outcome.value);
        else item.reject(outcome.err);
      }
    } catch (err) {
      // The transaction itself failed (the commit, the connection): every write fails. Most
      // often nothing was stored; but a COMMIT whose answer was lost may have stored the group,
      // and a resend under the same client id then finds the first copy (Chat.send publishes it).
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
    if (!savepoints && batch.length > 1 && conn.together && batch.every((i) => i.oneStatement)) {
      // A work that failed after its statement changed nothing (WriteOptions.oneStatement in sql-store.ts).
      const settled = await conn.together(batch.map((item) => item.work));
      return settled?.map((result) =>
        result.status === 'fulfilled'
          ? { ok: true, value: result.value }
          : { ok: false, err: result.reason },
      );
    }
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

/** FNV-1a: spreads room ids over the lanes. */
function hash(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
