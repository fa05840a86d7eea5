/** Something that holds its writes until `release`. */
export interface Held {
  release(): void;
}

/**
 * Replies written within one event-loop turn leave in one write per
 * connection: a writer holds (corks) its socket at its first reply of the
 * turn and joins this batch, which releases them all once, at the turn's
 * end. An ack and the sender's own copy, which follows it, share a packet.
 * One batch serves every connection of a gateway: one timer per turn, not
 * one per connection.
 */
export class TurnBatch {
  private held: Held[] = [];
  private scheduled = false;

  add(writer: Held): void {
    this.held.push(writer);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(this.releaseAll);
  }

  private readonly releaseAll = (): void => {
    this.scheduled = false;
    const held = this.held;
    this.held = [];
    for (const writer of held) writer.release();
  };
}
