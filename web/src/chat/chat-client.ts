import { batch, signal } from '@preact/signals';
import { ApiError, describeError } from '../api/api-error.js';
import { api, type Session } from '../api/endpoints.js';
import { ChatSocket } from '../net/chat-socket.js';
import type { ChatMessage, CommandInfo, ServerFrame, UserView, Visibility } from '../protocol.js';
import { mentionedNames, parseMarkdown, plainText } from '../text/markdown.js';
import { isMe } from '../text/mentions.js';
import { MembershipCache } from './membership-cache.js';
import type { Notifier } from './notifier.js';
import { NotifyLevels } from './notify-levels.js';
import { Outbox } from './outbox.js';
import { PreviewPoller } from './preview-poller.js';
import { RoomList } from './room-list.js';
import { type Problem, RoomState } from './room-state.js';

/** The server lets one connection join 100 rooms; leave headroom for the room being opened. */
const MAX_FOLLOWED = 90;
/** Errors that follow a command's ack: the message is stored, the command got no answer. */
const COMMAND_ERRORS = new Set(['command_timeout', 'unknown_command']);
const ROOMS_REFRESH_MS = 60_000;
/** Opening a room at its first unread message loads at most this many pages above the newest. */
const MAX_UNREAD_PAGES = 20;

type Request =
  | { kind: 'join'; roomId: string; since: number | undefined }
  | { kind: 'leave'; roomId: string };

/**
 * The signed-in client: one socket, the room list, and a RoomState per room
 * seen. Rooms the user is a member of are "followed": joined on the socket
 * and joined again, with `since`, after every reconnect.
 */
export class ChatClient {
  readonly me: UserView;
  readonly socket: ChatSocket;
  readonly roomList: RoomList;
  readonly outbox: Outbox;
  readonly activeRoomId = signal<string | null>(null);
  /** The slash commands the server knows, for the composer's menu; empty until loaded. */
  readonly commands = signal<readonly CommandInfo[]>([]);
  /** Ids of the users this user has blocked. */
  readonly blocked = signal<ReadonlySet<string>>(new Set());
  /** Something that happened to the user without their doing, to show until dismissed ("You were removed from …"). */
  readonly notice = signal<string | null>(null);
  /** Each room's desktop notification level (all, mentions, none), kept in this browser. */
  readonly notifyLevels: NotifyLevels;
  private readonly token: string;
  private readonly states = new Map<string, RoomState>();
  private readonly followed = new Set<string>();
  private readonly requests = new Map<string, Request>();
  private readonly memberships: MembershipCache;
  private requestCount = 0;
  private refreshTimer: ReturnType<typeof setInterval> | undefined;
  private readonly preview: PreviewPoller;
  /** The history page each room is fetching, so that two callers share one request. */
  private readonly olderLoads = new Map<string, Promise<void>>();

  constructor(
    session: Session,
    private readonly notifier: Notifier,
    private readonly onUnauthorized: () => void,
    private readonly navigate: (roomId: string | null) => void,
  ) {
    this.me = session.user;
    this.token = session.token;
    this.memberships = new MembershipCache(this.me.id);
    this.notifyLevels = new NotifyLevels(this.me.id);
    this.roomList = new RoomList(this.token);
    this.socket = new ChatSocket(this.token, {
      online: () => this.online(),
      frame: (frame) => this.frame(frame),
      unauthorized: () => this.onUnauthorized(),
    });
    this.outbox = new Outbox(this.socket, (roomId) => this.room(roomId));
    this.preview = new PreviewPoller(this.token, {
      previewing: (roomId) => this.activeRoomId.value === roomId && !this.followed.has(roomId),
      room: (roomId) => this.room(roomId),
      refreshDetail: (state) => this.loadDetail(state),
      received: (message) => this.roomList.received(message, false),
    });
  }

  async start(): Promise<void> {
    this.socket.start();
    // A `room` frame says "you were added"; a list read again every minute, and on focus, catches what a reconnect missed.
    this.refreshTimer = setInterval(() => void this.refreshRooms(), ROOMS_REFRESH_MS);
    window.addEventListener('focus', this.onFocus);
    void api.commands().then(
      (list) => {
        this.commands.value = list;
      },
      () => {}, // no menu; commands typed in full still work
    );
    await this.roomList.refresh();
    await this.followMemberRooms();
    if (!this.me.guest) await this.loadBlocks().catch(() => undefined);
  }

  /** Fetches the room list again and follows the private rooms that are new in it. */
  async refreshRooms(): Promise<void> {
    await this.roomList.refresh();
    for (const room of this.roomList.rooms.value) {
      if (room.member === true || room.visibility === 'private') this.follow(room.roomId);
    }
    const active = this.activeRoomId.value;
    if (active) this.markRead(active);
  }

  stop(): void {
    clearInterval(this.refreshTimer);
    this.preview.stop();
    window.removeEventListener('focus', this.onFocus);
    this.socket.stop();
    this.outbox.stop();
    for (const state of this.states.values()) state.typing.clear();
  }

  room(roomId: string): RoomState {
    let state = this.states.get(roomId);
    if (!state) {
      state = new RoomState(roomId);
      this.states.set(roomId, state);
    }
    return state;
  }

  /**
   * Shows a room: its members, whether the user may send, and its history
   * from the first unread message (or the newest page). A room only
   * previewed is fetched again every few seconds while it is on screen.
   */
  async open(roomId: string | null): Promise<void> {
    this.activeRoomId.value = roomId;
    this.preview.stop();
    if (roomId === null) return;
    const state = this.room(roomId);
    const entry = this.roomList.find(roomId);
    // Read before markRead clears the count: where the divider goes.
    state.unreadFrom.value = entry && entry.unread > 0 ? entry.lastSeq - entry.unread + 1 : null;
    if (!this.followed.has(roomId)) state.resetPreview();
    await this.loadDetail(state);
    if (state.problem.value) return;
    if (state.messages.value.length === 0) await this.loadOlder(roomId);
    const from = state.unreadFrom.value;
    for (let page = 0; from !== null && !state.covers(from) && page < MAX_UNREAD_PAGES; page++) {
      if (state.problem.value || state.historyProblem.value) break;
      if (this.activeRoomId.value !== roomId) break;
      await this.loadOlder(roomId);
    }
    this.markRead(roomId);
    this.preview.watch(roomId);
  }

  /** Loads the page of history just above the timeline's first message. */
  loadOlder(roomId: string): Promise<void> {
    let load = this.olderLoads.get(roomId);
    if (!load) {
      load = this.fetchOlder(roomId).finally(() => this.olderLoads.delete(roomId));
      this.olderLoads.set(roomId, load);
    }
    return load;
  }

  private async fetchOlder(roomId: string): Promise<void> {
    const state = this.room(roomId);
    if (!state.hasOlder.value) return;
    state.loadingOlder.value = true;
    state.historyProblem.value = null;
    try {
      for (;;) {
        const before = state.olderBound;
        const page = await api.history(this.token, roomId, before);
        // A join reply or live message may have moved the bound meanwhile: ask again, or leave a hole.
        if (state.olderBound !== before) continue;
        state.addPage(page, before);
        return;
      }
    } catch (err) {
      const problem = problemOf(err);
      if (problem.code === 'room_not_found') state.problem.value = problem;
      else state.historyProblem.value = problem;
    } finally {
      state.loadingOlder.value = false;
    }
  }

  /** The user asked to join: the socket's join makes them a member. */
  join(roomId: string): void {
    const state = this.room(roomId);
    state.problem.value = null;
    this.follow(roomId);
    if (!this.socket.isOnline) {
      state.problem.value = {
        code: 'network',
        message: 'Not connected: you will join as soon as the connection is back.',
      };
    }
  }

  leave(roomId: string): void {
    const state = this.room(roomId);
    const id = this.nextId('leave');
    this.requests.set(id, { kind: 'leave', roomId });
    if (!this.socket.send({ type: 'leave', id, roomId })) {
      this.requests.delete(id);
      state.problem.value = { code: 'network', message: 'Not connected: try leaving again soon.' };
    }
  }

  /** Tells the server the user has seen the room up to its newest message. */
  markRead(roomId: string): void {
    const state = this.states.get(roomId);
    if (!state || !this.followed.has(roomId)) return;
    this.roomList.read(roomId);
    const seq = state.lastSeq;
    if (seq <= state.readSeq) return;
    if (this.socket.send({ type: 'read', roomId, seq })) state.readSeq = seq;
  }

  typing(roomId: string): void {
    if (this.room(roomId).live.value) this.socket.send({ type: 'typing', roomId });
  }

  async createRoom(name: string, visibility: Visibility): Promise<string> {
    const room = await api.createRoom(this.token, name, visibility);
    this.roomList.added(room);
    this.follow(room.roomId);
    return room.roomId;
  }

  /** Finds or makes the direct room with `userId`, follows it, and returns its id. */
  async openDirect(userId: string): Promise<string> {
    const room = await api.openDirect(this.token, userId);
    this.roomList.added(room);
    this.follow(room.roomId);
    return room.roomId;
  }

  searchUsers(q: string) {
    return api.searchUsers(this.token, q);
  }

  /** Removes a member (or, for oneself, leaves); the member list is read again. */
  async removeMember(roomId: string, userId: string): Promise<void> {
    await api.removeMember(this.token, roomId, userId);
    await this.loadDetail(this.room(roomId));
  }

  async setRole(roomId: string, userId: string, role: 'admin' | 'member'): Promise<void> {
    await api.setRole(this.token, roomId, userId, role);
    await this.loadDetail(this.room(roomId));
  }

  /** Reads the users this user has blocked into `blocked`. */
  async loadBlocks(): Promise<void> {
    const people = await api.blocks(this.token);
    this.blocked.value = new Set(people.map((p) => p.id));
  }

  async setBlocked(userId: string, blocked: boolean): Promise<void> {
    await (blocked ? api.block(this.token, userId) : api.unblock(this.token, userId));
    await this.loadBlocks();
  }

  /** Adds a user to a room by username; the caller shows any error beside the form. */
  async addMember(roomId: string, username: string): Promise<void> {
    await api.addMember(this.token, roomId, username);
    await this.loadDetail(this.room(roomId));
  }

  // Membership

  private async followMemberRooms(): Promise<void> {
    const rooms = this.roomList.rooms.value;
    const checks = rooms.map(async (room) => {
      if (room.member === false) return;
      // A private room in the list is one of ours; a public one only if we remember joining it.
      const mine = room.member === true || room.visibility === 'private';
      if (mine) return this.follow(room.roomId);
      if (!this.memberships.has(room.roomId)) return;
      const detail = await api.room(this.token, room.roomId).catch(() => null);
      if (detail?.members.some((m) => m.id === this.me.id)) this.follow(room.roomId);
      else if (detail) this.memberships.delete(room.roomId);
    });
    await Promise.all(checks);
  }

  private follow(roomId: string): void {
    if (this.followed.has(roomId)) return;
    if (this.followed.size >= MAX_FOLLOWED && this.activeRoomId.value !== roomId) return;
    this.followed.add(roomId);
    this.memberships.add(roomId);
    if (this.socket.isOnline) this.sendJoin(roomId);
  }

  private unfollow(roomId: string): void {
    this.followed.delete(roomId);
    this.memberships.delete(roomId);
    const state = this.room(roomId);
    batch(() => {
      state.live.value = false;
      state.membership.value = 'visitor';
    });
  }

  private async loadDetail(state: RoomState): Promise<void> {
    try {
      const detail = await api.room(this.token, state.roomId);
      const member = detail.members.some((m) => m.id === this.me.id);
      batch(() => {
        state.members.value = detail.members;
        state.membership.value = member ? 'member' : 'visitor';
        state.problem.value = null;
      });
      this.roomList.added(detail);
      if (member) this.follow(state.roomId);
      else if (this.followed.has(state.roomId)) this.unfollow(state.roomId);
    } catch (err) {
      state.problem.value = problemOf(err);
      if (err instanceof ApiError && err.code === 'room_not_found') this.unfollow(state.roomId);
    }
  }

  // The socket

  private online(): void {
    for (const state of this.states.values()) state.live.value = false;
    for (const roomId of this.followed) this.sendJoin(roomId);
    // Frames of one connection are handled in order: these sends see the joins done.
    this.outbox.resend();
    void this.refreshRooms();
    const active = this.activeRoomId.value;
    if (active) void this.loadDetail(this.room(active));
  }

  private sendJoin(roomId: string): void {
    const state = this.room(roomId);
    const since = state.headSeq ?? undefined;
    const id = this.nextId('join');
    this.requests.set(id, { kind: 'join', roomId, since });
    this.socket.send({ type: 'join', id, roomId, ...(since === undefined ? {} : { since }) });
  }

  private frame(frame: ServerFrame): void {
    switch (frame.type) {
      case 'message':
        this.message(frame.data);
        return;
      case 'joined':
        this.joined(frame.id, frame.roomId, frame.lastSeq);
        return;
      case 'left':
        this.left(frame.id, frame.roomId, frame.by);
        return;
      case 'role':
        this.states.get(frame.roomId)?.setRole(frame.user.id, frame.role);
        return;
      case 'ack':
        if (frame.id) this.outbox.acked(frame.id, frame.seq);
        return;
      case 'error':
        this.error(frame);
        return;
      case 'presence':
        this.states.get(frame.roomId)?.setOnline(frame.user.id, frame.user.name, frame.online);
        return;
      case 'presences':
        this.presences(frame);
        return;
      case 'typing':
        if (frame.user.id !== this.me.id) this.states.get(frame.roomId)?.typing.saw(frame.user);
        return;
      case 'room':
        this.roomList.added(frame.room);
        // Only members hear of a private room (added to it, or a direct room made): follow it at once.
        if (frame.room.visibility === 'private') this.follow(frame.room.roomId);
        return;
      case 'room_deleted':
        this.roomDeleted(frame.roomId);
        return;
      case 'welcome':
      case 'pong':
        return;
      default:
        unhandled(frame);
    }
  }

  /** A big room's batched presence: the listed changes, and a fresh member list if some were not listed. */
  private presences(frame: Extract<ServerFrame, { type: 'presences' }>): void {
    const state = this.states.get(frame.roomId);
    if (!state) return;
    batch(() => {
      for (const change of frame.changes)
        state.setOnline(change.user.id, change.user.name, change.online);
    });
    if (frame.more > 0 && this.activeRoomId.value === frame.roomId) void this.loadDetail(state);
  }

  private message(message: ChatMessage): void {
    const state = this.room(message.roomId);
    state.add([message]);
    const active =
      this.activeRoomId.value === message.roomId && document.visibilityState === 'visible';
    const fromOther = message.memberId !== this.me.id;
    this.roomList.received(message, fromOther && !active);
    if (active) this.markRead(message.roomId);
    if (fromOther && (message.type === 'chat' || message.type === 'bot') && this.alerts(message)) {
      const room = this.roomList.find(message.roomId);
      this.notifier.notify(
        message.roomId,
        room ? room.roomName : 'Confab',
        `${message.memberName}: ${plainText(parseMarkdown(message.message))}`,
        () => this.navigate(message.roomId),
      );
    }
  }

  /** Whether the room's notification level lets this message make a notification. */
  private alerts(message: ChatMessage): boolean {
    const level = this.notifyLevels.of(message.roomId);
    if (level !== 'mentions') return level === 'all';
    return this.mentionsMe(message);
  }

  /** Whether a message mentions this user by name (`@name`, outside code). */
  mentionsMe(message: ChatMessage): boolean {
    const names = this.room(message.roomId).members.value?.map((m) => m.name) ?? [];
    const nodes = parseMarkdown(message.message, names);
    return mentionedNames(nodes).some((name) => isMe(name, this.me.name));
  }

  private joined(id: string | undefined, roomId: string, lastSeq: number): void {
    const request = id ? this.requests.get(id) : undefined;
    if (id) this.requests.delete(id);
    const state = this.room(roomId);
    batch(() => {
      state.live.value = true;
      state.membership.value = 'member';
      state.problem.value = null;
    });
    if (state.headSeq === null) {
      state.headSeq = lastSeq;
      state.hasOlder.value = lastSeq > 0;
    } else if (request?.kind === 'join' && request.since === undefined && state.headSeq < lastSeq) {
      // History arrived while this join was on its way without `since`: join again to fill the hole.
      this.sendJoin(roomId);
    }
    if (this.activeRoomId.value === roomId && state.messages.value.length === 0) {
      void this.loadOlder(roomId);
    }
  }

  /** The user left the room (here, or on another tab), or was removed from it `by` someone. */
  private left(id: string | undefined, roomId: string, by: UserView | undefined): void {
    if (id) this.requests.delete(id);
    this.unfollow(roomId);
    const entry = this.roomList.find(roomId);
    if (by) {
      const name = entry?.roomName ?? 'a room';
      this.notice.value = `You were removed from ${name} by ${by.name}.`;
    }
    if (entry?.visibility === 'private') {
      this.roomList.removed(roomId);
      if (this.activeRoomId.value === roomId) this.navigate(null);
    }
    if (this.activeRoomId.value === roomId) {
      void this.loadDetail(this.room(roomId)).then(() => this.preview.watch(roomId));
    }
  }

  /** An operator deleted the room: it leaves the list, and the view if it was open. */
  private roomDeleted(roomId: string): void {
    this.unfollow(roomId);
    this.roomList.removed(roomId);
    if (this.activeRoomId.value === roomId) this.navigate(null);
  }

  private error(frame: Extract<ServerFrame, { type: 'error' }>): void {
    if (frame.id && COMMAND_ERRORS.has(frame.code)) {
      this.commandFailed(frame.id, frame);
      return;
    }
    const request = frame.id ? this.requests.get(frame.id) : undefined;
    if (frame.id && this.outbox.failed(frame.id, frame)) return;
    if (!request || !frame.id) return;
    this.requests.delete(frame.id);
    const state = this.room(request.roomId);
    state.problem.value = { code: frame.code, message: frame.message };
    if (request.kind === 'join') {
      this.followed.delete(request.roomId);
      if (frame.code === 'room_not_found') this.memberships.delete(request.roomId);
    }
  }

  /** A stored command that got no answer: shown on the command's message, which stays. */
  private commandFailed(clientId: string, error: Problem): void {
    const roomId =
      this.outbox.roomOf(clientId) ??
      [...this.states.values()].find((s) => s.messages.value.some((m) => m.clientId === clientId))
        ?.roomId;
    if (roomId === undefined) return;
    const state = this.room(roomId);
    state.commandErrors.value = new Map(state.commandErrors.value).set(clientId, {
      code: error.code,
      message: error.message,
    });
  }

  private onFocus = (): void => {
    void this.refreshRooms();
  };

  private nextId(kind: string): string {
    this.requestCount += 1;
    return `${kind}-${this.requestCount}`;
  }
}

function problemOf(err: unknown): Problem {
  return { code: err instanceof ApiError ? err.code : 'internal', message: describeError(err) };
}

/**
 * The frame switch handles every frame type: a new one is a compile error
 * here. At run time a frame from a newer server is ignored.
 */
function unhandled(_frame: never): void {}
