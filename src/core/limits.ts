import { ChatError } from './errors.js';
import type { LimitRule, RateLimiter, RateLimiters } from './ports/limiter.js';

/** Each count limit's rule; undefined turns that limit off. */
export interface LimitRules {
  /** Chat messages per user (MESSAGE_RATE, MESSAGE_BURST). */
  messages: LimitRule | undefined;
  /** Joins and leaves that change a membership, per user: each stores a notice every member receives. */
  joins: LimitRule | undefined;
  /** Typing frames per user and room; over it they are dropped quietly. */
  typing: LimitRule | undefined;
  /** Read markers per user and room; over it the newest is written once the limit allows. */
  reads: LimitRule | undefined;
  /** Failed logins, per username and per client address (LOGIN_RATE); each attempt counts until it succeeds. */
  logins: LimitRule | undefined;
  /** Rooms created per client address, new direct rooms included. */
  rooms: LimitRule | undefined;
  /** Guests created per client address, by `POST /api/guest` or a WebSocket without a token. */
  guests: LimitRule | undefined;
  /** Accounts made per client address (SIGNUP_RATE). */
  signups: LimitRule | undefined;
}

const OFF: RateLimiter = {
  take: async () => 0,
  giveBack: async () => {},
};

/**
 * Every count limit of the server, by name. A limit that is off always
 * allows. `check*` methods throw ChatError('rate_limited') with the wait;
 * the others return the wait, for callers that drop rather than refuse.
 */
export class Limits {
  private readonly messages: RateLimiter;
  private readonly joins: RateLimiter;
  private readonly typing: RateLimiter;
  private readonly reads: RateLimiter;
  private readonly loginsByName: RateLimiter;
  private readonly loginsByAddress: RateLimiter;
  private readonly rooms: RateLimiter;
  private readonly guests: RateLimiter;
  private readonly signups: RateLimiter;

  constructor(limiters: RateLimiters, rules: LimitRules) {
    const make = (name: string, rule: LimitRule | undefined) =>
      rule ? limiters.create(name, rule) : OFF;
    this.messages = make('messages', rules.messages);
    this.joins = make('joins', rules.joins);
    this.typing = make('typing', rules.typing);
    this.reads = make('reads', rules.reads);
    this.loginsByName = make('login-name', rules.logins);
    this.loginsByAddress = make('login-address', rules.logins);
    this.rooms = make('rooms', rules.rooms);
    this.guests = make('guests', rules.guests);
    this.signups = make('signups', rules.signups);
  }

  /** The ms until `userId` may send; 0 when it may now. Counts the message. */
  message(userId: string): Promise<number> {
    return this.messages.take(userId);
  }

  /** Whether JOIN_RATE is on: when it is off, nobody need ask whether a join is a new membership. */
  get limitsJoins(): boolean {
    return this.joins !== OFF;
  }

  async checkJoin(userId: string): Promise<void> {
    refuseAfter(await this.joins.take(userId), 'Too many joins and leaves; slow down.');
  }

  /** Whether a typing frame may be relayed (it counts). */
  async typingAllowed(userId: string, roomId: string): Promise<boolean> {
    return (await this.typing.take(`${userId}:${roomId}`)) === 0;
  }

  /** The ms until a read marker may be written; 0 when now (it counts). */
  read(userId: string, roomId: string): Promise<number> {
    return this.reads.take(`${userId}:${roomId}`);
  }

  /**
   * Counts a login attempt against its username and its address before any
   * password is checked, and refuses it while either is over the limit. It
   * counts as failed until `loginSucceeded` gives it back: counting only
   * after a failed check let a burst of concurrent attempts all pass before
   * the first failure was counted, each costing a password hash.
   */
  async checkLogin(username: string, address: string): Promise<void> {
    const [byName, byAddress] = await Promise.all([
      this.loginsByName.take(username.toLowerCase()),
      this.loginsByAddress.take(address),
    ]);
    refuseAfter(Math.max(byName, byAddress), 'Too many failed logins; try again later.');
  }

  /** A login checked by `checkLogin` did not fail: it stops counting. */
  async loginSucceeded(username: string, address: string): Promise<void> {
    await Promise.all([
      this.loginsByName.giveBack(username.toLowerCase()),
      this.loginsByAddress.giveBack(address),
    ]);
  }

  async checkRoomCreation(address: string): Promise<void> {
    refuseAfter(await this.rooms.take(address), 'Too many rooms created; try again later.');
  }

  async checkGuest(address: string): Promise<void> {
    refuseAfter(
      await this.guests.take(address),
      'Too many guests from this address; sign up or try later.',
    );
  }

  async checkSignup(address: string): Promise<void> {
    refuseAfter(
      await this.signups.take(address),
      'Too many accounts made from this address; try again later.',
    );
  }
}

function refuseAfter(waitMs: number, message: string): void {
  if (waitMs > 0) throw new ChatError('rate_limited', message, waitMs);
}
