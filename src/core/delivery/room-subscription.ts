import type { ChatMessage } from '../../protocol/message.js';
import { Delivered } from './delivered.js';
import type { Subscriber } from './subscriber.js';

/**
 * One connection's place in one room: it hands the subscriber every message
 * above `since`, once each and in seq order, first from history, then live.
 * Live messages that arrive while history is still being sent wait in `backlog`.
 */
export class RoomSubscription {
  private nextSeq: number;
  private backlog: Delivered[] | null;
  /** Set once the connection unsubscribed: a catch-up in progress stops. */
  cancelled = false;

  constructor(
    readonly roomId: string,
    readonly subscriber: Subscriber,
    since: number,
    catchingUp: boolean,
  ) {
    this.nextSeq = since + 1;
    this.backlog = catchingUp ? [] : null;
  }

  /** The highest seq handed over so far. */
  get cursor(): number {
    return this.nextSeq - 1;
  }

  get catchingUp(): boolean {
    return this.backlog !== null;
  }

  /** A live message from the room's feed, which arrive contiguous and in order. */
  push(delivered: Delivered): void {
    if (this.backlog) this.backlog.push(delivered);
    else this.hand(delivered);
  }

  /** A page of history, ascending. */
  pushHistory(messages: readonly ChatMessage[]): void {
    for (const message of messages) {
      if (message.seq === this.nextSeq) this.hand(new Delivered(message));
    }
  }

  /**
   * Ends the catch-up: hands over the backlog past the cursor. Returns false,
   * leaving the backlog in place, when history has not yet reached it, unless
   * `force`d past a gap that history cannot fill.
   */
  finishCatchUp(force = false): boolean {
    const backlog = this.backlog ?? [];
    const first = backlog.find((d) => d.message.seq >= this.nextSeq);
    if (first && first.message.seq > this.nextSeq) {
      if (!force) return false;
      this.nextSeq = first.message.seq;
    }
    this.backlog = null;
    for (const delivered of backlog) this.hand(delivered);
    return true;
  }

  private hand(delivered: Delivered): void {
    if (delivered.message.seq !== this.nextSeq) return;
    this.nextSeq += 1;
    this.subscriber.message(delivered);
  }
}
